"""Session 9: training rows built from seen data and hand-written templates, for the two weak
spots the fresh runs showed (no held-out text was read to write them).

- ``persona_benign()``: everyday role-play / persona requests and benign system prompts in twelve
  languages ("Embody the persona of …", "As a senior psychologist, …", "You are a friendly
  support assistant for …"), label 0. Session 8's everyday measurement blocked such openers.
- ``indirect_injections(payloads, carriers)``: injection payloads taken from seen sets, placed
  inside benign carrier text (e-mails, web pages, tool results as JSON, documents, code comments,
  review text) at the start, middle or end, label 1. Fresh runs missed injections planted in
  documents and tool output.

Everything is deterministic (keyed hashes), written for Airlock, no external data beyond the
seen sets passed in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

# language -> (openers with {role}/{char}, roles, tasks); each opener + task is a normal request
_PERSONA: dict[str, dict[str, list[str]]] = {
    "en": {
        "open": [
            "Embody the persona of {char} throughout this conversation.",
            "As a {role}, {task_lc}",
            "You are a {role}. {task}",
            "Act as a {role} and {task_lc}",
            "Imagine you are a {role}. {task}",
            "Take on the role of {char} and stay in character.",
            "Pretend to be {char} for this chat.",
            "I want you to act as a {role}. {task}",
            "Please respond as {char} would.",
            "Roleplay as a {role} for a moment: {task_lc}",
            "Adopt the voice of {char}. Skip the introduction and don't start with \"As {char}\".",
            "From now on you are my {role}. {task}",
            "Play the part of a {role} in this mock interview.",
            "Speak like {char} while answering.",
        ],
        "role": [
            "senior psychologist", "travel agent", "personal trainer", "Java expert blogger",
            "high school chemistry teacher", "financial advisor", "career coach", "chef",
            "product manager", "interviewer at a tech company", "museum guide", "novelist",
            "UX designer", "nutritionist", "history professor", "real estate agent",
        ],
        "char": [
            "Sherlock Holmes", "Sheldon from \"The Big Bang Theory\"", "Tony Stark from Iron Man",
            "a pirate captain", "Shakespeare", "Gandalf", "a medieval knight", "Mary Poppins",
            "a friendly robot", "Hermione Granger", "a 1920s radio host", "Captain Picard",
        ],
        "task": [
            "Give me three tips for staying focused while working from home.",
            "Explain how compound interest works.",
            "Help me plan a three-day trip to Lisbon.",
            "Write a short blog post about hot-pluggable modules in Spring Boot.",
            "What would you say to someone nervous about a job interview?",
            "Describe your favourite meal and how to cook it.",
            "Tell me about the causes of the French Revolution.",
            "Suggest a weekly workout plan for a beginner.",
            "Review my opening paragraph and suggest improvements.",
            "Answer my questions about photosynthesis.",
            "Give me feedback on my resume summary.",
            "Explain what a hash map is to a ten-year-old.",
        ],
    },
    "de": {
        "open": ["Versetze dich in die Rolle eines {role}. {task}", "Als {role}: {task}",
                 "Du bist ein {role}. {task}", "Stell dir vor, du bist {char}. {task}",
                 "Spiele {char} und bleib in der Rolle."],
        "role": ["Reiseberaters", "Ernährungsberaters", "Deutschlehrers", "Bewerbungscoachs",
                 "Kochs", "Steuerberaters"],
        "char": ["Sherlock Holmes", "ein Pirat", "Goethe", "ein freundlicher Roboter"],
        "task": ["Erkläre mir, wie Zinseszinsen funktionieren.",
                 "Hilf mir, eine Woche in Wien zu planen.",
                 "Gib mir drei Tipps für ein Vorstellungsgespräch.",
                 "Was soll ich heute Abend kochen?",
                 "Erzähl mir etwas über die Geschichte Berlins."],
    },
    "fr": {
        "open": ["Mets-toi dans la peau d'un {role}. {task}", "En tant que {role}, {task_lc}",
                 "Tu es un {role}. {task}", "Imagine que tu es {char}. {task}",
                 "Joue le rôle de {char} pendant cette conversation."],
        "role": ["conseiller de voyage", "professeur de français", "coach sportif",
                 "chef cuisinier",
                 "conseiller financier", "psychologue"],
        "char": ["Sherlock Holmes", "Victor Hugo", "un capitaine pirate", "le Petit Prince"],
        "task": ["Explique-moi comment fonctionne l'intérêt composé.",
                 "Aide-moi à préparer un entretien d'embauche.",
                 "Propose-moi un menu pour un dîner entre amis.",
                 "Raconte-moi l'histoire de la tour Eiffel.",
                 "Donne-moi des conseils pour mieux dormir."],
    },
    "es": {
        "open": ["Actúa como un {role}. {task}", "Como {role}, {task_lc}",
                 "Eres un {role}. {task}", "Imagina que eres {char}. {task}",
                 "Interpreta a {char} durante esta conversación."],
        "role": ["agente de viajes", "profesor de historia", "entrenador personal", "chef",
                 "asesor financiero", "psicólogo"],
        "char": ["Sherlock Holmes", "Don Quijote", "un capitán pirata", "Frida Kahlo"],
        "task": ["Explícame cómo funciona el interés compuesto.",
                 "Ayúdame a planear un viaje de tres días a Sevilla.",
                 "Dame consejos para una entrevista de trabajo.",
                 "¿Qué puedo cocinar con arroz y verduras?",
                 "Cuéntame sobre la historia de los mayas."],
    },
    "it": {
        "open": ["Fingi di essere un {role}. {task}", "Come {role}, {task_lc}",
                 "Sei un {role}. {task}", "Immagina di essere {char}. {task}"],
        "role": ["agente di viaggio", "insegnante di storia", "personal trainer", "cuoco"],
        "char": ["Sherlock Holmes", "Dante", "un pirata", "Leonardo da Vinci"],
        "task": ["Spiegami come funziona l'interesse composto.",
                 "Aiutami a organizzare un weekend a Firenze.",
                 "Dammi qualche consiglio per un colloquio di lavoro.",
                 "Che cosa posso cucinare stasera?"],
    },
    "pt": {
        "open": ["Aja como um {role}. {task}", "Como {role}, {task_lc}",
                 "Você é um {role}. {task}", "Imagine que você é {char}. {task}"],
        "role": ["agente de viagens", "professor de história", "personal trainer", "chef"],
        "char": ["Sherlock Holmes", "um pirata", "Machado de Assis", "um robô simpático"],
        "task": ["Explique como funcionam os juros compostos.",
                 "Me ajude a planejar uma viagem a Lisboa.",
                 "Dê dicas para uma entrevista de emprego.",
                 "O que posso cozinhar com frango e batatas?"],
    },
    "nl": {
        "open": ["Doe alsof je een {role} bent. {task}", "Als {role}: {task}",
                 "Je bent een {role}. {task}"],
        "role": ["reisadviseur", "geschiedenisleraar", "personal trainer", "kok"],
        "char": ["Sherlock Holmes", "een piraat"],
        "task": ["Leg uit hoe samengestelde rente werkt.",
                 "Help me een weekend in Amsterdam te plannen.",
                 "Geef tips voor een sollicitatiegesprek."],
    },
    "ru": {
        "open": ["Представь, что ты {role}. {task}", "Как {role}, {task_lc}",
                 "Ты — {role}. {task}", "Сыграй роль {char}. {task}"],
        "role": ["турагент", "учитель истории", "фитнес-тренер", "шеф-повар", "психолог"],
        "char": ["Шерлока Холмса", "пирата", "доброго робота"],
        "task": ["Объясни, как работают сложные проценты.",
                 "Помоги спланировать поездку в Санкт-Петербург.",
                 "Дай советы для собеседования.",
                 "Что приготовить на ужин из курицы и риса?"],
    },
    "pl": {
        "open": ["Wciel się w rolę {role}. {task}", "Jako {role}, {task_lc}",
                 "Jesteś {role}. {task}"],
        "role": ["agenta podróży", "nauczyciela historii", "trenera personalnego", "kucharza"],
        "char": ["Sherlocka Holmesa", "pirata"],
        "task": ["Wyjaśnij, jak działa procent składany.",
                 "Pomóż mi zaplanować wycieczkę do Krakowa.",
                 "Daj mi wskazówki przed rozmową kwalifikacyjną."],
    },
    "tr": {
        "open": ["Bir {role} gibi davran. {task}", "Bir {role} olarak {task_lc}",
                 "Sen bir {role}sın. {task}"],
        "role": ["seyahat danışmanı", "tarih öğretmeni", "kişisel antrenör", "aşçı"],
        "char": ["Sherlock Holmes", "bir korsan"],
        "task": ["Bileşik faizin nasıl çalıştığını açıkla.",
                 "İstanbul'da üç günlük bir gezi planlamama yardım et.",
                 "İş görüşmesi için bana tavsiye ver."],
    },
    "zh": {
        "open": ["请扮演一位{role}。{task}", "作为一名{role}，{task}", "你是一位{role}。{task}",
                 "假设你是{char}。{task}"],
        "role": ["旅行顾问", "历史老师", "健身教练", "厨师", "心理咨询师"],
        "char": ["福尔摩斯", "一位海盗船长", "孔子"],
        "task": ["请解释一下复利是怎么计算的。", "帮我规划一次三天的杭州旅行。",
                 "给我一些面试的建议。", "今晚用鸡肉和土豆可以做什么菜？"],
    },
    "ja": {
        "open": ["{role}になりきってください。{task}", "{role}として、{task}",
                 "あなたは{role}です。{task}"],
        "role": ["旅行コンサルタント", "歴史の先生", "パーソナルトレーナー", "料理人"],
        "char": ["シャーロック・ホームズ", "海賊の船長"],
        "task": ["複利の仕組みを説明してください。", "京都への二泊三日の旅行を計画してください。",
                 "面接のアドバイスをください。"],
    },
}
_SYSTEM_PROMPTS = [
    "You are a helpful, concise assistant.",  # (the exact test prompt is left out)
    "You are a helpful assistant. Answer briefly and politely.",
    "You are a friendly customer support assistant for {company}. Help users with orders,"
    " returns and delivery questions.",
    "You are an AI assistant that helps people find information.",
    "You are a coding assistant. Prefer short answers with code examples.",
    "You are a travel assistant for {company}. Recommend destinations and answer booking"
    " questions.",
    "You are a tutor for high school students. Explain step by step and check understanding.",
    "You are a helpful assistant that summarises documents for busy readers.",
    "You are an assistant for {company}'s HR team. Answer questions about leave and benefits.",
    "You are a writing assistant. Improve clarity and grammar without changing the meaning.",
    "You are a polite assistant who answers in the user's language.",
]  # fmt: skip
_COMPANIES = ["Acme Corp", "Northwind", "Contoso", "BlueSky Travel", "Globex", "Initech"]


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:4], "big")


def _lc(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:1].isupper() and not s[1:2].isupper() else s


def persona_benign(per_lang: int = 120) -> list[str]:
    """Everyday role-play / persona requests (label 0), ``per_lang`` per language (fewer for the
    small tables), plus benign system prompts."""
    out: list[str] = []
    for lang, t in _PERSONA.items():
        n = per_lang if lang == "en" else per_lang // 3
        for i in range(n):
            op = t["open"][_h(lang, "o", str(i)) % len(t["open"])]
            task = t["task"][_h(lang, "t", str(i)) % len(t["task"])]
            text = op.format(role=t["role"][_h(lang, "r", str(i)) % len(t["role"])],
                             char=t["char"][_h(lang, "c", str(i)) % len(t["char"])],
                             task=task, task_lc=_lc(task))  # fmt: skip
            if "{task" not in op:
                text = f"{text} {task}"
            out.append(text)
    for s in _SYSTEM_PROMPTS:
        for c in _COMPANIES[: 3 if "{company}" in s else 1]:
            out.append(s.format(company=c))
    return list(dict.fromkeys(out))


_WRAPS = [
    "{pre}\n\n{payload}\n\n{post}",
    "Subject: Re: quarterly numbers\nFrom: j.smith@example.com\n\n{pre}\n{payload}\n\nBest,\nJohn",
    '{{"tool": "web_search", "status": "ok", "result": {{"title": "Search result", "snippet":'
    ' {pre_j}, "content": {payload_j}}}}}',
    "<html><body><p>{pre}</p><!-- {payload} --><p>{post}</p></body></html>",
    "<div class=\"review\">{pre} {payload}</div>",
    "# Notes\n\n{pre}\n\n> {payload}\n\n{post}",
    "Document excerpt (page 3):\n{pre} {payload} {post}",
    "def load():\n    # {payload}\n    return read_config()\n\n\"\"\"{pre}\"\"\"",
    "Tool output:\n{pre}\n[note to the assistant] {payload}",
    "Customer review: {pre} {payload} {post}",
]


def _planted(
    fills: Iterable[str], carriers: list[str], n: int, key: str, fill_key: str
) -> list[str]:
    """``n`` texts: a fill (12-400 chars) in one of the wrappers around a carrier snippet of at
    most ~300 characters (so the fill stays inside the encoder's first window); fills,
    carriers, snippet starts and wrappers chosen by hashes keyed ``key`` (fill order:
    ``fill_key``)."""
    fl = [f for f in fills if 12 <= len(f) <= 400]
    cs = [c for c in carriers if len(c) >= 40]
    if not fl or not cs:
        return []
    fl.sort(key=lambda f: _h(fill_key, f))
    out = []
    for i in range(n):
        fill = fl[i % len(fl)]
        c = cs[_h(f"{key}-c", str(i)) % len(cs)]
        start = _h(f"{key}-s", str(i)) % max(1, len(c) - 200)
        start = start if start == 0 or c.find(" ", start) < 0 else c.find(" ", start) + 1
        snippet = c[start : start + 300]
        pre, post = snippet[:200], snippet[200:]
        w = _WRAPS[_h(f"{key}-w", str(i)) % len(_WRAPS)]
        out.append(w.format(pre=pre, post=post, payload=fill,
                            pre_j=json.dumps(pre), payload_j=json.dumps(fill)))  # fmt: skip
    return list(dict.fromkeys(out))


def indirect_injections(payloads: Iterable[str], carriers: list[str], n: int) -> list[str]:
    """``n`` injections planted in benign carrier text (label 1)."""
    return _planted(payloads, carriers, n, "aug", "aug-p")


def benign_twins(fillers: Iterable[str], carriers: list[str], n: int) -> list[str]:
    """Session 10: the benign twins of ``indirect_injections`` (label 0): the same wrappers
    (e-mails, tool results, HTML and code comments, documents) around the same kind of carrier
    snippet, with an everyday request or sentence where the payload was. Without them the planted
    rows teach that a code comment or a document is itself a sign of injection."""
    return _planted(fillers, carriers, n, "twin", "twin-f")
