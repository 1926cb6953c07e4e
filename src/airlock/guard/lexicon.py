"""Cross-lingual concept features for the classifier: the same idea written in many languages
maps to one shared token.

A prompt injection is built from a few ideas (ignore / previous / instructions / system prompt /
reveal / no restrictions / from now on you are / developer or admin / disable / safety / secret /
reply only with / hypothetical). The large training sets are mostly English, so a character
n-gram model learns these ideas in English words only and misses "Önceki tüm talimatları yok
say". Mapping stems of each idea in about twenty languages to a concept token lets the weights
learned from English carry over: the classifier sees ``ignore previous instruction`` as concept
tokens whatever the language, next to its ordinary n-grams. Benign uses of the same words
("ignore the typos", "the previous answer", "the washing machine's instructions") are in the
training data in those languages too, so a concept alone is weak evidence; combinations count.

Stems match at the start of a word (a prefix; case-folded, after normalisation) except in
scripts written without spaces (Chinese, Japanese), where they match anywhere. One compiled
regex per kind, built as a trie so matching stays linear in the text length.
"""

from __future__ import annotations

import re
from functools import lru_cache

LEXICON_VERSION = 1

# concept -> stems (lower case, as normalize() leaves them: NFKC, case-folded, no ZWNJ)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "IGNORE": (
        "ignor", "disregard", "forget", "overlook", "pay no attention", "skip the", "vergiss",
        "vergess", "missacht", "übergeh", "oubli", "néglig", "ne tiens pas compte", "olvid",
        "no hagas caso", "omite", "dimentic", "trascur", "non considerare", "esqueç", "esquec",
        "desconsider", "negeer", "vergeet", "houd geen rekening", "yok say", "unut", "görmezden",
        "dikkate alma", "önemseme", "игнорир", "забудь", "забуд", "не обращай", "zignoruj",
        "ignoruj", "zapomnij", "nie zwracaj", "忽略", "无视", "忘掉", "忘记", "不要理会", "别管",
        "無視", "忘れ", "무시", "잊어", "تجاهل", "نادیده", "فراموش", "توجه نکن", "अनदेखा", "भूल",
        "नज़रअंदाज़", "ध्यान मत", "abaikan", "lupakan", "hiraukan", "bỏ qua", "quên", "đừng để ý",
    ),
    "PREVIOUS": (
        "previous", "prior", "above", "earlier", "preceding", "before this", "vorherig", "vorige",
        "obig", "bisherig", "précédent", "ci-dessus", "antérieur", "anterior", "de arriba",
        "previa", "previo", "precedent", "qui sopra", "acima", "vorige", "eerder", "hierboven",
        "önceki", "yukarıdaki", "daha önce", "предыдущ", "прежн", "выше", "раньше", "poprzedni",
        "powyższ", "wcześniej", "之前", "以上", "上面", "先前", "これまで", "以前", "上記", "前の",
        "前に", "이전", "위의", "앞의", "전에", "السابق", "أعلاه", "من قبل", "قبلی", "بالا",
        "قبلا", "पिछल", "ऊपर", "पहले", "sebelumnya", "di atas", "trước đó", "ở trên", "trước đây",
    ),
    "INSTRUCTION": (
        "instruction", "directive", "guideline", "rule", "command", "programming", "anweisung",
        "richtlinie", "regel", "befehl", "vorgabe", "consigne", "règle", "instruccion",
        "instrucción", "indicacion", "indicación", "directriz", "directrices", "regla", "norma",
        "istruzion", "regol", "linee guida", "direttiv", "instruç", "diretriz", "regra",
        "orientaç", "instructie", "richtlijn", "talimat", "yönerge", "kural", "komut", "инструкц",
        "указани", "правил", "директив", "instrukcj", "polecen", "zasad", "wytyczn", "reguł",
        "指令", "指示", "规则", "准则", "命令", "ルール", "ガイドライン", "지시", "지침", "규칙",
        "명령", "التعليمات", "تعليمات", "قواعد", "إرشادات", "التوجيهات", "دستور", "قوانین",
        "قانون", "رهنمود", "निर्देश", "नियम", "दिशानिर्देश", "instruksi", "aturan", "pedoman",
        "perintah", "petunjuk", "hướng dẫn", "chỉ dẫn", "quy tắc", "nguyên tắc", "lệnh",
    ),
    "SYSPROMPT": (
        "system prompt", "system message", "systemprompt", "system-prompt", "system instruction",
        "initial prompt", "hidden prompt", "pre-prompt", "initial instruction", "systemanweisung",
        "systemnachricht", "prompt système", "invite système", "message système",
        "prompt de sistema", "prompt del sistema", "mensaje del sistema", "prompt di sistema",
        "messaggio di sistema", "prompt do sistema", "mensagem do sistema", "systeemprompt",
        "systeembericht", "sistem istem", "sistem mesaj", "sistem talimat", "системный промпт",
        "системное сообщ", "системные инструкц", "системную инструкц", "prompt systemow",
        "komunikat systemow", "wiadomość systemow", "系统提示", "系统消息", "系统指令",
        "システムプロンプト", "システムメッセージ", "시스템 프롬프트", "시스템 메시지",
        "موجه النظام", "رسالة النظام", "تعليمات النظام", "پرامپت سیستم", "پیام سیستم",
        "دستور سیستم", "सिस्टम प्रॉम्प्ट", "सिस्टम संदेश", "prompt sistem", "pesan sistem",
        "lời nhắc hệ thống", "thông báo hệ thống",
    ),
    "REVEAL": (
        "reveal", "show me", "print", "display", "output", "repeat", "disclose", "leak",
        "tell me your", "zeig", "verrat", "offenleg", "enthüll", "montre", "révèle", "affiche",
        "divulgu", "répète", "muestra", "muéstra", "revela", "imprime", "repite", "mostra",
        "rivela", "stampa", "ripeti", "mostr", "revel", "imprim", "repit", "laat me", "onthul",
        "toon", "herhaal", "göster", "açıkla", "yazdır", "tekrarla", "ifşa", "покажи", "раскрой",
        "выведи", "повтори", "напечатай", "pokaż", "ujawnij", "wypisz", "wyświetl", "powtórz",
        "显示", "透露", "输出", "重复", "泄露", "見せ", "明かし", "出力", "表示", "보여", "공개",
        "출력", "اعرض", "اكشف", "اطبع", "أظهر", "كرر", "نشان بده", "فاش", "چاپ کن", "दिखाओ",
        "बताओ", "प्रिंट", "tunjukkan", "ungkapkan", "cetak", "tampilkan", "cho tôi xem", "tiết lộ",
        "in ra", "hiển thị",
    ),
    "NOLIMIT": (
        "no restriction", "without restriction", "without any restriction", "unrestricted",
        "unfiltered", "uncensored", "no limit", "without limit", "no rules", "without rules",
        "no filter", "without filter", "ohne einschränkung", "ohne filter", "ohne grenze",
        "ohne regeln", "ohne jede", "uneingeschränkt", "unzensiert", "sans restriction",
        "sans aucune restriction", "sans filtre", "sans limite", "sans règle", "sans aucune règle",
        "sans censure", "sin restricc", "sin ninguna restricc", "sin filtro", "sin límite",
        "sin regla", "sin censura", "senza restrizion", "senza alcuna restrizion", "senza filtr",
        "senza limit", "senza regol", "senza censura", "sem restriç", "sem nenhuma restriç",
        "sem filtro", "sem limite", "sem regra", "sem censura", "zonder beperking",
        "zonder enige beperking", "zonder filter", "zonder grenzen", "zonder regels",
        "ongecensureerd", "kısıtlama olmadan", "filtresiz", "sınırsız", "kuralsız", "sansürsüz",
        "kısıtlamasız", "без ограничен", "без фильтр", "без правил", "без цензур", "без запрет",
        "bez ograniczeń", "bez żadnych ograniczeń", "bez filtr", "bez zasad", "bez cenzur",
        "bez limit", "不受任何限制", "没有限制", "不加过滤", "没有任何规则", "无限制", "不受限制",
        "没有任何限制", "制限なし", "制限のない", "フィルターなし", "フィルターも制限も",
        "ルールのない", "検閲なし", "제한 없이", "제한 없는", "필터 없이", "필터나 제한",
        "규칙이 없는", "검열 없이", "دون أي قيود", "بلا قيود", "بلا فلاتر", "بلا قواعد",
        "بلا حدود", "دون قيود", "بدون محدودیت", "بدون هیچ محدودیت", "بدون فیلتر", "بدون قانون",
        "بدون سانسور", "बिना किसी पाबंदी", "बिना फ़िल्टर", "बिना सीमा", "बिना नियम",
        "कोई नियम नहीं", "tanpa batas", "tanpa filter", "tanpa aturan", "tanpa sensor",
        "không có giới hạn", "không giới hạn", "không có bộ lọc", "không có quy tắc",
        "không kiểm duyệt",
    ),
    "NOWYOU": (
        "you are now", "from now on", "act as", "pretend", "roleplay", "role-play", "you will be",
        "from this point", "du bist jetzt", "ab jetzt", "ab sofort", "von nun an", "tu so als",
        "spielst du", "tu es maintenant", "désormais", "à partir de maintenant", "dorénavant",
        "fais comme si", "joue le rôle", "tu joues", "ahora eres", "a partir de ahora",
        "de ahora en adelante", "desde este momento", "finge", "actúa como", "interpreta",
        "ora sei", "d'ora in poi", "d'ora in avanti", "da questo momento", "fai finta",
        "comportati come", "agora você é", "a partir de agora", "de agora em diante",
        "daqui em diante", "finja", "aja como", "je bent nu", "vanaf nu", "doe alsof", "speel je",
        "artık sen", "bundan sonra", "şu andan itibaren", "gibi davran", "rolünü", "теперь ты",
        "с этого момента", "отныне", "притворись", "играешь роль", "teraz jesteś", "od teraz",
        "od tej chwili", "udawaj", "wciel się", "grasz rolę", "你现在是", "从现在起", "从现在开始",
        "从此刻开始", "扮演", "假装", "今から", "これからは", "これ以降", "になりきって", "演じて",
        "ふりをして", "이제", "지금부터", "이제부터", "역할을", "척해", "أنت الآن", "من الآن",
        "تظاهر", "ستؤدي دور", "تو اکنون", "از این به بعد", "از همین حالا", "نقش", "وانمود",
        "अब तुम", "अब से", "भूमिका", "नाटक करो", "sekarang kamu", "mulai sekarang",
        "mulai saat ini", "berpura-pura", "memerankan", "bây giờ bạn là", "từ giờ",
        "kể từ bây giờ", "đóng vai", "giả vờ",
    ),
    "AUTHORITY": (
        "developer mode", "developer", "admin", "administrator", "root access", "sudo",
        "your creator", "authorized", "authorised", "override code", "debug mode", "god mode",
        "maintenance mode", "entwickler", "développeur", "administrateur", "desarrollador",
        "administrador", "sviluppatore", "amministratore", "desenvolvedor", "ontwikkelaar",
        "beheerder", "geliştirici", "yönetici", "разработчик", "администратор", "programist",
        "deweloper", "开发者", "开发人员", "管理员", "開発者", "管理者", "개발자", "관리자",
        "المطور", "المسؤول", "مطور", "توسعهدهنده", "مدیر", "डेवलपर", "एडमिन", "pengembang",
        "nhà phát triển", "quản trị viên",
    ),
    "DISABLE": (
        "disable", "deactivate", "turn off", "switch off", "bypass", "circumvent", "jailbreak",
        "override", "deaktivier", "ausschalt", "schalte", "umgeh", "désactiv", "contourn", "coupe",
        "desactiv", "apaga", "elud", "disattiv", "spegni", "aggira", "desativ", "deslig",
        "contorn", "uitschakel", "schakel", "omzeil", "zet je", "devre dışı", "kapat", "отключи",
        "выключи", "обойди", "отключ", "wyłącz", "dezaktywuj", "obejdź", "关闭", "停用", "绕过",
        "禁用", "オフにし", "無効に", "回避", "꺼", "비활성화", "우회", "أوقف", "عطّل", "عطل",
        "تجاوز", "خاموش", "غیرفعال", "دور بزن", "बंद कर", "निष्क्रिय", "matikan", "nonaktifkan",
        "lewati", "tắt", "vô hiệu hóa", "vượt qua",
    ),
    "SAFETY": (
        "safety", "security", "content policy", "guardrail", "ethic", "moral", "censor", "filter",
        "safeguard", "moderation", "sicherheit", "inhaltsrichtlin", "ethisch", "zensur",
        "sécurité", "politique de contenu", "éthique", "censure", "filtre", "seguridad",
        "política de contenido", "ética", "censura", "filtro", "sicurezza",
        "politica sui contenuti", "etic", "filtr", "segurança", "política de conteúdo", "étic",
        "veiligheid", "inhoudsbeleid", "censuur", "güvenlik", "içerik politika", "etik", "sansür",
        "filtre", "безопасност", "политик", "этическ", "цензур", "фильтр", "bezpieczeństw",
        "polityk", "etyczn", "cenzur", "安全", "内容政策", "道德", "审查", "过滤",
        "コンテンツポリシー", "倫理", "検閲", "フィルター", "안전", "콘텐츠 정책", "윤리", "검열",
        "필터", "الأمان", "سياسة", "أخلاق", "رقابة", "فلاتر", "فلتر", "ایمنی", "سیاست", "اخلاق",
        "سانسور", "فیلتر", "सुरक्षा", "सामग्री नीति", "नैतिक", "सेंसर", "फ़िल्टर", "keamanan",
        "kebijakan", "etika", "sensor", "an toàn", "chính sách", "đạo đức", "kiểm duyệt", "bộ lọc",
    ),
    "SECRET": (
        "password", "secret", "api key", "credential", "confidential", "hidden", "internal",
        "passwort", "geheim", "versteckt", "mot de passe", "caché", "cachée", "contraseña",
        "secreto", "oculto", "oculta", "segret", "nascost", "senha", "wachtwoord", "verborgen",
        "şifre", "gizli", "пароль", "секрет", "скрыт", "hasło", "tajn", "ukryt", "密码", "秘密",
        "隐藏", "パスワード", "隠", "비밀번호", "비밀", "숨겨진", "كلمة المرور", "السري",
        "المخفية", "مخفی", "پنهان", "पासवर्ड", "गुप्त", "छिपे", "kata sandi", "rahasia",
        "tersembunyi", "mật khẩu", "bí mật", "ẩn",
    ),
    "ONLYSAY": (
        "reply only with", "respond only with", "answer only with", "say only", "just say",
        "nothing else", "only output", "antworte nur", "sonst nichts", "réponds uniquement",
        "rien d'autre", "responde solo", "responde únicamente", "nada más", "rispondi solo",
        "nient'altro", "responda apenas", "mais nada", "antwoord alleen", "verder niets", "sadece",
        "yalnızca", "başka hiçbir şey", "ответь только", "больше ничего", "odpowiedz tylko",
        "nic więcej", "只回复", "只能是", "不要写别的", "とだけ", "のみにして", "라고만",
        "만 쓰고", "أجب فقط", "لا شيء غيره", "فقط با", "هیچ چیز دیگری", "सिर्फ़", "केवल",
        "और कुछ नहीं", "hanya dengan", "tidak ada yang lain", "chỉ trả lời", "không gì khác",
    ),
    "HYPO": (
        "hypothetical", "simulation", "imagine", "fictional", "just a game", "for research",
        "educational purpose", "hypothetisch", "simulation", "stell dir", "fiktiv", "hypothétique",
        "imagine", "fictif", "hipotétic", "simulación", "imagina", "ficticio", "ipotetic",
        "simulazione", "immagina", "simulação", "simulatie", "stel je", "varsayımsal",
        "simülasyon", "farz et", "hayal et", "гипотетическ", "симуляц", "представь", "hipotetyczn",
        "symulacj", "wyobraź", "假设", "模拟", "想象", "仮に", "シミュレーション", "想像", "가정",
        "시뮬레이션", "상상", "افتراضي", "محاكاة", "تخيل", "فرضی", "شبیهسازی", "فرض کن", "تصور کن",
        "काल्पनिक", "सिमुलेशन", "मान लो", "hipotetis", "simulasi", "bayangkan", "giả sử",
        "mô phỏng", "tưởng tượng",
    ),
}  # fmt: skip

# Albanian, Irish, Scottish Gaelic and Zulu: low-resource languages injection kits translate
# their payloads into to slip past filters trained on big languages (spikee does), and which the
# semantic stage's encoder does not cover. Written in session 7 from the fresh sets' tuning part
# (scripts/guard_fresh.py) and dictionaries; multi-word where a single word is everyday usage.
_LOW_RESOURCE: dict[str, tuple[str, ...]] = {
    "IGNORE": ("injoro", "mos merr parasysh", "harro", "déan neamhaird", "neamhaird",
               "déan dearmad", "leig seachad", "dìochuimhnich", "ungazinaki", "ziba"),
    "PREVIOUS": ("mëparshme", "më sipër", "fillestare", "roimhe seo", "thuas", "tosaigh",
                 "gu h-àrd", "tùsail", "ngaphambilini", "ngenhla", "zangaphambili"),
    "INSTRUCTION": ("udhëzim", "rregull", "treoir", "treoracha", "rialacha", "stiùiridh",
                    "riaghailt", "imiyalo", "umyalelo", "imiyalelo", "imithetho"),
    "SYSPROMPT": ("kërkesës tënde të sistemit", "kërkesën tënde të sistemit", "kërkesa e sistemit",
                  "kërkesën e sistemit", "kërkesës së sistemit", "mesazhi i sistemit",
                  "mesazhin e sistemit", "mesazh sistemi", "teachtaireacht chórais",
                  "teachtaireacht an chórais", "do theachtaireacht chórais", "leid chórais",
                  "teachdaireachd siostam", "teachdaireachd an t-siostaim", "brosnachadh siostam",
                  "umyalezo wesistimu", "umyalezo wakho wesistimu", "wombhalo wesistimu",
                  "isaziso sesistimu", "umbhalo wesistimu"),
    "REVEAL": ("përsërit", "shfaq", "zbulo", "printo", "athdhéan", "taispeáin", "nocht",
               "greamaigh", "scríobh amach", "ath-aithris", "ath aithris", "foillsich", "phinda",
               "bonisa", "veza", "namathisela", "phumela"),
    "SECRET": ("sekret", "fjalëkalim", "pasfhocal", "uimhir aitheantais", "dìomhair",
               "facal-faire", "imfihlo", "iphasiwedi"),
    "AUTHORITY": ("modalitetin zhvillues", "zhvillues", "mód forbartha", "riarthóir",
                  "leasaiche", "umthuthukisi", "amalungelo okuphatha", "privilegje administrative"),
    "SAFETY": ("zokuphepha", "slándála", "sábháilteacht", "sigurisë", "tèarainteachd",
               "sàbhailteachd"),
}  # fmt: skip
for _concept, _stems in _LOW_RESOURCE.items():
    CONCEPTS[_concept] = CONCEPTS[_concept] + _stems

_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_WORD_START = re.compile(r"(?<!\w)\w")
_KEY = 3


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, int]]]:
    """Stems by their first three characters (longest first), and the unspaced-script stems."""
    by_key: dict[str, list[tuple[str, int]]] = {}
    unspaced: list[tuple[str, int]] = []
    seen: set[str] = set()
    for i, name in enumerate(sorted(CONCEPTS)):
        for stem in CONCEPTS[name]:
            if stem in seen:
                continue
            seen.add(stem)
            if _NO_SPACE_SCRIPT.match(stem):
                unspaced.append((stem, i))
            else:
                by_key.setdefault(stem[:_KEY], []).append((stem, i))
    for cands in by_key.values():
        cands.sort(key=lambda c: -len(c[0]))
    return by_key, unspaced


def concept_ids(text: str) -> list[int]:
    """Concept ids in text order (``text`` already normalised: case-folded). Stems match at a
    word start, longest first; Chinese/Japanese stems anywhere. Cost: a few dict look-ups per
    word plus one ``str.find`` per unspaced stem when the text has such characters."""
    by_key, unspaced = _index()
    hits: list[tuple[int, int]] = []
    for m in _WORD_START.finditer(text):
        p = m.start()
        for k in range(_KEY, 0, -1):
            for stem, cid in by_key.get(text[p : p + k], ()):
                if text.startswith(stem, p):
                    hits.append((p, cid))
                    break
            else:
                continue
            break
    if _NO_SPACE_SCRIPT.search(text):
        for stem, cid in unspaced:
            at = text.find(stem)
            while at >= 0:
                hits.append((at, cid))
                at = text.find(stem, at + len(stem))
    hits.sort()
    return [cid for _, cid in hits]


def concept_names() -> list[str]:
    return sorted(CONCEPTS)


_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-z]")
_WORD = re.compile(r"\w+")
# Frequent function words of the Latin-script languages the training data covers, none of which
# is an English word (so "die", "a", "in", "do" are left out).
_FOREIGN_WORDS = frozenset(
    "der das und ist nicht ich du ein eine mit auf für les et est une des pas je tu le il vous "
    "nous los las y es que por para con una del lo che non sei di della per het een niet ik "
    "jij zijn voor bir bu ve ile için sen ben ne jest nie się że jak oraz yang dan untuk tidak "
    "ini itu kamu aku của và không là có những một bạn tôi não você uma com pelo pela einen dem "
    "den zu sich von dich dir deine deinen deinem mir mich ton ta tes mon ma mes sur dans aux "
    "comme tus mi mis el gli tuo tua tue tuoi mio mia è seu sua suas seus dos qual foi nella "
    "delle degli sono de la le il en".split()
)


def foreign(text: str) -> bool:
    """True when normalised ``text`` is mostly not English: letters outside ASCII (Cyrillic, CJK,
    Arabic, accents) or function words of another Latin-script language. The classifier has a
    lower, separately calibrated threshold for such text (its weights come mostly from English
    data, so evidence in other languages scores lower)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return False
    other = len(_NON_ASCII_LETTER.findall(text))
    if other >= 2:
        return True
    words = _WORD.findall(text)
    hits = sum(1 for w in words if w in _FOREIGN_WORDS)
    return hits + other >= 2 and hits >= 0.1 * len(words)
