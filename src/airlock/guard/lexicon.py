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
import unicodedata
from functools import lru_cache

from airlock.guard.normalize import _LATIN_TABLE

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

# Session 8: the same concepts in about sixty more languages (Nordic, Baltic, Slavic, Balkan,
# Greek, Hebrew, Indic, South-East Asian, African, Celtic, Caucasian, Turkic, ...), written from
# knowledge of the languages before any session-8 fresh text was read (scripts/guard_fresh8.py),
# so that payloads machine-translated into a language the training data lacks still map to the
# concept tokens the English data weighted. Multi-word where the single word is everyday usage;
# short stems that start common words of big languages ("parola", "visa", "zima") left out.
_MORE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "IGNORE": (
        "glöm", "bortse från", "strunta i", "glem", "se bort fra", "unohda", "jätä huomiotta",
        "älä välitä", "unusta", "aizmirsti", "neņem vērā", "pamiršk", "nekreipk dėmesio",
        "zapomeň", "nevšímej", "zabudni", "nevšímaj", "pozabi", "prezri", "zaboravi", "zanemari",
        "заборави", "занемари", "ігнор", "не звертай", "ігнаруй", "забудзь", "забрави",
        "не обръщай", "uită", "nu ține cont", "nu lua în seamă", "figyelmen kívül", "felejtsd",
        "felejts el", "αγνόησ", "αγνοήστε", "ξέχνα", "ξεχάστε", "ξέχασε", "התעלם", "שכח את",
        "תשכח", "نظر انداز", "بھول جاؤ", "উপেক্ষা", "ভুলে যাও", "ভুলে যান", "புறக்கணி",
        "மறந்துவிடு", "విస్మరించు", "మర్చిపో", "दुर्लक्ष", "विसरा", "विसरून", "અવગણો",
        "ભૂલી જાઓ", "ਅਣਡਿੱਠ", "ਭੁੱਲ ਜਾਓ", "ನಿರ್ಲಕ್ಷಿಸ", "ಮರೆತುಬಿಡ", "അവഗണിക്കുക", "മറക്കുക",
        "เพิกเฉย", "ไม่ต้องสนใจ", "ละเว้น", "huwag pansinin", "kalimutan", "balewalain", "puuza",
        "sahau", "ungakhathali", "libala", "ችላ በል", "እርሳ", "yi watsi", "foju", "gbagbe",
        "leghara", "chefuo", "iska indho tir", "anwybydd", "anghofi", "ahaztu", "alde batera utzi",
        "oblida", "no facis cas", "hunsaðu", "hunsa", "gleymdu", "injora", "անտեսիր", "մոռացիր",
        "უგულებელყ", "დაივიწყე", "nəzərə alma", "görməzdən gəl", "елеме", "ұмыт", "e'tibor berma",
        "eʼtibor berma", "e'tiborsiz", "үл тоо", "बेवास्ता", "बिर्सिदेऊ", "නොසලකා",
        "අමතක කරන්න", "មិនអើពើ", "បំភ្លេច", "ບໍ່ສົນໃຈ", "လျစ်လျူရှု", "vergiess", "forgesu",
        "neglege", "obliviscere", "inyore", "bliye", "scurdà", "lalekna", "ora usah nggatekake",
        "teu paduli", "ayaw tagda", "kalimti", "ibaliwala", "aza raharahiana", "hadino",
        "musanyalanyaze", "iwala", "furatira", "kanganwa", "hlokomoloha", "lebala", "irengagize",
        "ibagirwa", "هیر کړه", "له پامه", "guh nede", "ji bîr bike", "нодида гир", "фаромӯш",
        "этибарга алба", "игътибар итмә", "оныт", "איגנאר", "פארגעס", "negearje", "ferjit",
    ),
    "PREVIOUS": (
        "tidigare", "föregående", "tidligere", "forrige", "ovenfor", "ovenstående", "aiemm",
        "edellis", "yllä olev", "aikaisemm", "eelneva", "varasem", "eelmis", "iepriekš",
        "augstāk minēt", "ankstesn", "aukščiau", "anksčiau", "předchozí", "předešl",
        "výše uveden", "dřívější", "predchádzajúc", "predošl", "vyššie uveden", "prejšnj",
        "zgornj", "predhodn", "prethodn", "gornj", "ranij", "претходн", "горе наведен",
        "попередн", "раніше", "папярэдн", "вышэй", "предишн", "по-горе", "горните", "погоре",
        "anterioar", "de mai sus", "előző", "korábbi", "fenti", "προηγούμεν", "παραπάνω",
        "ανωτέρω", "הקודמ", "שלמעלה", "לעיל", "پچھلی", "پچھلے", "سابقہ", "পূর্ববর্তী", "আগের",
        "উপরের", "முந்தைய", "மேலே உள்ள", "మునుపటి", "పైన ఉన్న", "मागील", "आधीच्या", "वरील",
        "અગાઉના", "પાછલા", "ਪਿਛਲੇ", "ਉੱਪਰ ਦਿੱਤ", "ಹಿಂದಿನ", "ಮೇಲಿನ", "മുമ്പത്തെ", "മുകളിലുള്ള",
        "ก่อนหน้า", "ข้างต้น", "nakaraang", "naunang", "zilizopita", "za awali", "zilizotangulia",
        "hapo juu", "iliyopita", "uliopita", "yaliyopita", "yaliyotangulia", "bogenoemde",
        "voorafgaande", "ቀዳሚ", "ያለፈው",
        "የቀደሙ", "da suka gabata", "tẹ́lẹ̀", "ti tẹlẹ", "iṣaaju", "gara aga", "kor ku xusan",
        "hore ku xusan", "blaenorol", "uchod", "aurreko", "goiko", "de dalt", "fyrri",
        "ofangreind", "preċedenti", "ta' qabel", "ta’ qabel", "նախորդ", "վերևի", "წინა ",
        "ზემოთ", "əvvəlki", "yuxarıdakı", "алдыңғы", "жоғарыдағы", "oldingi", "yuqoridagi",
        "өмнөх", "дээрх", "अघिल्ला", "माथिका", "पहिलेका", "ඉහත", "ខាងលើ", "ກ່ອນໜ້າ",
        "ຂ້າງເທິງ", "ယခင်", "အထက်ပါ", "vireg", "antaŭaj", "antaŭa", "supraj", "priora",
        "superiora", "praecedent", "anvan yo", "sadurunge", "ing ndhuwur", "saméméhna",
        "di luhur", "miaging", "nauna", "teo aloha", "etsy ambony", "zam'mbuyo", "zapitazo",
        "yapfuura", "dzapfuura", "tse fetileng", "zabanjirije", "byabanje", "biri hejuru",
        "مخکینۍ", "پخواني", "jorîn", "қаблӣ", "пешина", "мурунку", "жогорудагы", "алдагы",
        "פריערדיק", "foarige", "boppesteande",
    ),
    "INSTRUCTION": (
        "instruktion", "anvisning", "direktiv", "instruks", "retningslinj", "ohjee", "ohjeit",
        "ohjeis", "sääntö", "säännö", "käsky", "määräy", "juhis", "juhend", "reegl", "instrukcij",
        "norādījum", "noteikum", "nurodym", "taisykl", "instrukc", "pokyn", "pravidl",
        "inštrukci", "navodil", "pravila", "pravilima", "uput", "упутств", "инструкциј",
        "інструкці", "вказівк", "інструкцы", "правіл", "инструкци", "упатств", "instrucțiun",
        "instrucţiun", "instructiun", "reguli", "regulile", "utasítás", "szabály", "irányelv",
        "οδηγί", "κανόν", "εντολ", "הוראות", "הנחיות", "כללים", "הוראה", "ההוראות", "ההנחיות",
        "הכללים", "מההוראות", "ہدایات", "ہدایت",
        "اصول", "নির্দেশ", "নিয়ম", "அறிவுறுத்தல்", "வழிமுறை", "விதிகள", "సూచనలు", "నియమాలు",
        "सूचना", "સૂચના", "નિયમો", "ਹਦਾਇਤ", "ਨਿਯਮ", "ಸೂಚನೆ", "ನಿಯಮ", "നിർദ്ദേശ", "നിയമ",
        "คำสั่ง", "คำแนะนำ", "tagubilin", "panuto", "patakaran", "maagizo", "maelekezo",
        "instruksies", "reëls", "መመሪያ", "ትዕዛዝ", "ደንቦች", "umarni", "dokoki", "ka'idoji",
        "ìtọ́ni", "itọnisọna", "àwọn òfin", "ntuziaka", "tilmaam", "awaamir", "cyfarwyddiad",
        "rheol", "gyfarwyddiad", "reolau", "jarraibid", "argibide", "instrucci", "regles",
        "directrius", "normes",
        "instrucións", "leiðbeining", "fyrirmæl", "reglur", "struzzjoni", "istruzzjoni",
        "regoli", "հրահանգ", "կանոն", "ინსტრუქცი", "მითითებ", "წესებ", "təlimat", "qayda",
        "göstəriş", "нұсқау", "ереже", "ko'rsatma", "koʻrsatma", "qoida", "yo'riqnoma",
        "заавар", "дүрэм", "निर्देशन", "नियमहरू", "උපදෙස්", "ការណែនាំ", "ຄຳແນະນຳ",
        "ညွှန်ကြားချက်", "စည်းမျဉ်း", "instruktiounen", "reegelen", "instrukci", "regulojn",
        "praecepta", "mandata", "enstriksyon", "pitunjuk", "paréntah", "instruksyon", "mga lagda",
        "toromarika", "fitsipika", "malangizo", "malamulo", "mirayiridzo", "mitemo", "ditaelo",
        "melao", "amabwiriza", "amategeko", "لارښوون", "rêwerz", "rêzik", "talîmat", "қоида",
        "нускама", "эреже", "күрсәтмә", "кагыйдә", "אינסטרוקצי", "ynstruksjes",
    ),
    "SYSPROMPT": (
        "systemmeddelande", "systeminstruktion", "systembesked", "systemmeddelelse",
        "systemmelding", "järjestelmäkehote", "järjestelmäviesti", "järjestelmän kehote",
        "järjestelmäohje", "süsteemiviip", "süsteemi viip", "süsteemisõnum", "sistēmas uzvedn",
        "sistēmas ziņojum", "sistemos raginim", "sistemos pranešim", "sistemos užklaus",
        "systémový prompt", "systémovou výzvu", "systémová výzva", "systémové pokyny",
        "systémovou zprávu", "systémovú výzvu", "systémovú správu", "sistemski poziv",
        "sistemsko sporočilo", "sistemska navodila", "sistemski upit", "sistemsku poruku",
        "sistemska poruka", "sistemske upute", "sistemski prompt", "sustavni upit",
        "sustavnu poruku", "системски упит", "системску поруку", "системска порука",
        "системний промпт", "системне повідомлення", "системні інструкції", "системну підказку",
        "системний запит", "системния промпт", "системно съобщение", "системното съобщение",
        "системни инструкции", "системната подкана", "системски промпт", "системска порака",
        "promptul de sistem", "promptul sistemului", "mesajul de sistem", "mesajul sistemului",
        "instrucțiunile de sistem", "rendszerprompt", "rendszerüzenet", "rendszerutasítás",
        "μήνυμα συστήματος", "προτροπή συστήματος", "οδηγίες συστήματος", "prompt συστήματος",
        "הנחיית המערכת", "הודעת המערכת", "פרומפט המערכת", "הוראות המערכת", "سسٹم پرامپٹ",
        "سسٹم پیغام", "سسٹم ہدایات", "সিস্টেম প্রম্পট", "সিস্টেম বার্তা", "கணினி அறிவுறுத்தல்",
        "சிஸ்டம் ப்ராம்ப்ட்", "సిస్టమ్ ప్రాంప్ట్", "प्रणाली संदेश", "સિસ્ટમ પ્રોમ્પ્ટ",
        "ਸਿਸਟਮ ਪ੍ਰੋਂਪਟ", "พรอมต์ระบบ", "ข้อความระบบ", "คำสั่งระบบ", "maagizo ya mfumo",
        "ujumbe wa mfumo", "kidokezo cha mfumo", "stelselboodskap", "stelselprompt",
        "የስርዓት መልእክት", "የስርዓት መመሪያ", "saƙon tsarin", "umarnin tsarin", "ifiranṣẹ eto",
        "ìfiránṣẹ́ ètò", "ozi usoro", "fariinta nidaamka", "farriinta nidaamka",
        "tilmaamaha nidaamka", "anogwr system", "neges system", "cyfarwyddiadau system",
        "sistemaren gonbita", "sistemaren mezua", "sistema-mezua", "indicació del sistema",
        "missatge del sistema", "kerfisskilaboð", "kerfisfyrirmæli", "kerfisboð",
        "messaġġ tas-sistema", "prompt tas-sistema", "struzzjonijiet tas-sistema",
        "համակարգային հուշում", "համակարգի հաղորդագրություն", "სისტემური მოთხოვნ",
        "სისტემური შეტყობინებ", "sistem sorğusu", "sistem təlimat", "жүйелік нұсқау",
        "жүйелік хабарлама", "tizim so'rovi", "tizim xabari", "tizim ko'rsatma",
        "системийн заавар", "системийн мессеж", "प्रणाली प्रम्प्ट", "පද්ධති පණිවිඩය",
        "පද්ධති විමසුම", "សារប្រព័ន្ធ", "ຂໍ້ຄວາມລະບົບ", "sistema instigo", "sisteman mesaĝon",
        "sistema mesaĝo", "sisteman instigon", "nuntium systematis", "mesaj sistèm",
        "enstriksyon sistèm", "pesen sistem", "mensahe sa sistema", "prompt sa sistema",
        "hafatra rafitra", "hafatry ny rafitra", "uthenga wadongosolo", "molaetsa oa sistimi",
        "molaetsa wa sistimi", "ubutumwa bwa sisitemu", "amabwiriza ya sisitemu",
        "د سیسټم پیغام", "peyama sîstemê", "паёми система", "системалык билдирүү",
        "системалык көрсөтмө", "система хәбәре", "systeemberjocht",
    ),
    "REVEAL": (
        "avslöja", "skriv ut", "upprepa", "visa mig", "visa din", "afslør", "udskriv", "gentag",
        "avslør", "gjenta", "paljasta", "näytä", "tulosta", "toista", "näita", "prindi", "korda",
        "atklāj", "parādi", "izdrukā", "atkārto", "atskleisk", "parodyk", "išspausdink",
        "pakartok", "odhal", "ukaž", "vypiš", "zopakuj", "prozraď", "odhaľ", "ukáž", "vypíš",
        "prezraď", "razkrij", "pokaži", "izpiši", "ponovi", "otkrij", "ispiši", "откриј",
        "испиши", "понови", "розкрий", "надрукуй", "пакажы", "раскрый", "разкрий", "отпечатай",
        "изведи", "прикажи", "испечати", "dezvăluie", "arată-mi", "afișează", "tipărește",
        "repetă", "fedd fel", "mutasd", "írd ki", "ismételd", "áruld el", "αποκάλυψε", "δείξε",
        "εμφάνισε", "τύπωσε", "επανάλαβε", "חשוף", "הצג", "הראה", "הדפס", "חזור על", "גלה",
        "ظاہر کرو", "دکھاؤ", "بتاؤ", "دہراؤ", "প্রকাশ কর", "দেখাও", "প্রিন্ট কর", "வெளிப்படுத்து",
        "காட்டு", "அச்சிடு", "బహిర్గతం", "చూపించు", "ముద్రించు", "दाखवा", "उघड कर", "બતાવો",
        "જાહેર કરો", "છાપો", "ਦਿਖਾਓ", "ਦੱਸੋ", "ತೋರಿಸು", "ಬಹಿರಂಗಪಡಿಸ", "കാണിക്കുക",
        "വെളിപ്പെടുത്തുക", "เปิดเผย", "แสดง", "พิมพ์ออกมา", "ทำซ้ำ", "ipakita", "ibunyag",
        "ulitin", "onyesha", "fichua", "chapisha", "rudia", "niambie", "openbaar", "druk uit",
        "አሳይ", "ግለጽ", "አትም", "ድገም", "bayyana", "maimaita", "fi han", "ṣafihan", "tẹ jade",
        "kpughee", "bipụta", "muuji", "daabac", "ku celi", "datgela", "dangos", "argraffu",
        "ailadrodd", "erakutsi", "agerian utzi", "inprimatu", "errepikatu", "imprimeix",
        "repeteix", "sýndu", "afhjúpaðu", "prentaðu", "endurtaktu", "ikxef", "ipprintja",
        "irrepeti", "բացահայտիր", "ցույց տուր", "տպիր", "կրկնիր", "გამოავლინე", "მაჩვენე",
        "დაბეჭდე", "გაიმეორე", "göstər", "açıqla", "çap et", "təkrarla", "көрсет",
        "басып шығар", "қайтала", "ko'rsat", "oshkor qil", "chop et", "takrorla", "харуул",
        "илчил", "хэвлэ", "देखाऊ", "खुलासा", "පෙන්වන්න", "හෙළි කරන්න", "បង្ហាញ", "ສະແດງ",
        "ເປີດເຜີຍ", "ပြပါ", "ထုတ်ဖော်", "verroden", "malkaŝu", "montru", "ripetu", "ostende",
        "revele", "montre m", "enprime", "tuduhna", "témbongkeun", "ibutyag", "asehoy",
        "ambarao", "avereno", "onetsani", "sindikiza", "bwereza", "ulula", "ratidza", "dhinda",
        "dzokorora", "bontsha", "senola", "hatisa", "erekana", "garagaza", "subiramo",
        "ښکاره کړه", "وښیه", "nîşan bide", "eşkere bike", "нишон деҳ", "ошкор кун", "көрсөт",
        "басып чыгар", "күрсәт", "ачыкла", "iepenbierje", "werhelje",
    ),
    "SECRET": (
        "lösenord", "hemlig", "adgangskode", "hemmelig", "passord", "salasana", "salai",
        "parool", "salajane", "salasõna", "slepen", "slaptažod", "heslo", "hesla", "geslo",
        "skrivn", "lozink", "лозинк", "тајн", "таємн", "сакрэт", "парола", "тайн", "parolă",
        "jelszó", "jelszav", "titkos", "titok", "κωδικό πρόσβασης", "κωδικός πρόσβασης",
        "μυστικ", "συνθηματικ", "סיסמ", "הסיסמ", "סוד", "הסוד", "پاس ورڈ", "خفیہ", "পাসওয়ার্ড",
        "গোপন",
        "கடவுச்சொல்", "ரகசிய", "పాస్‌వర్డ్", "రహస్య", "પાસવર્ડ", "ગુપ્ત", "ਪਾਸਵਰਡ", "ਗੁਪਤ",
        "ಪಾಸ್‌ವರ್ಡ್", "ರಹಸ್ಯ", "പാസ്‌വേഡ്", "രഹസ്യ", "รหัสผ่าน", "ความลับ", "lihim", "sikreto",
        "nenosiri", "nywila", "wagwoord", "የይለፍ ቃል", "ሚስጥር", "kalmar sirri", "ọrọ igbaniwọle",
        "aṣiri", "okwuntughe", "nzuzo", "erayga sirta", "cyfrinair", "cyfrinach", "pasahitz",
        "sekretu", "ezkutu", "contrasenya", "contrasinal", "lykilorð", "leyndarmál", "leyni",
        "sigriet", "գաղտնաբառ", "գաղտնի", "პაროლ", "საიდუმლო", "şifrə", "құпия", "maxfiy",
        "нууц үг", "нууц", "गोप्य", "මුරපදය", "රහස්", "ពាក្យសម្ងាត់", "ລະຫັດຜ່ານ", "ຄວາມລັບ",
        "စကားဝှက်", "လျှို့ဝှက်", "passwuert", "pasvorto", "modpas", "sekrè", "tembung sandhi",
        "rusiah", "tinago", "teny miafina", "tsiambaratelo", "achinsinsi", "pasiwedhi",
        "chakavanzika", "phasewete", "lekunutu", "ijambobanga", "ibanga", "پټنوم", "şîfre",
        "veşartî", "nehênî", "махфӣ", "сырсөз", "жашыруун", "серсүз", "яшерен", "wachtwurd",
    ),
    "NOWYOU": (
        "du är nu", "från och med nu", "låtsas", "agera som", "spela rollen", "du er nu",
        "fra nu af", "lad som om", "foregiv", "opfør dig som", "du er nå", "fra nå av",
        "late som", "oppfør deg som", "olet nyt", "tästä lähtien", "teeskentele", "toimi kuin",
        "näyttele", "oled nüüd", "nüüdsest", "teeskle", "käitu nagu", "tagad tu esi",
        "no šī brīža", "izliecies", "tēlo", "dabar tu esi", "nuo šiol", "apsimesk", "vaidink",
        "nyní jsi", "teď jsi", "od teď", "od této chvíle", "předstírej", "chovej se jako",
        "hraj roli", "odteraz", "od tejto chvíle", "predstieraj", "správaj sa ako", "zdaj si",
        "od zdaj", "pretvarjaj se", "igraj vlogo", "obnašaj se kot", "od sada", "pretvaraj se",
        "ponašaj se kao", "glumi", "сада си", "од сада", "претварај се", "понашај се као",
        "тепер ти", "відтепер", "з цього моменту", "прикинься", "вдавай", "поводься як",
        "грай роль", "цяпер ты", "сега си", "отсега нататък", "от този момент",
        "преструвай се", "държи се като", "играй ролята", "од сега", "acum ești",
        "de acum înainte", "din acest moment", "prefă-te", "pretinde că", "joacă rolul",
        "comportă-te ca", "mostantól", "most már te", "tégy úgy", "tettesd", "játszd el",
        "viselkedj úgy", "τώρα είσαι", "από τώρα και στο εξής", "από εδώ και πέρα",
        "προσποιήσου", "κάνε πως", "υποδύσου", "אתה עכשיו", "מעכשיו", "מהרגע הזה", "העמד פנים",
        "תעמיד פנים", "שחק את התפקיד", "התנהג כמו", "اب تم", "اب سے", "دکھاوا کرو", "এখন থেকে",
        "তুমি এখন", "ভান কর", "இப்போது நீ", "இனிமேல்", "ఇప్పటి నుండి", "నువ్వు ఇప్పుడు", "आता तू",
        "आतापासून", "હવેથી", "ਹੁਣ ਤੋਂ", "ಈಗಿನಿಂದ", "ഇപ്പോൾ മുതൽ", "ตอนนี้คุณคือ", "ต่อจากนี้",
        "ตั้งแต่นี้", "แกล้งทำ", "สวมบทบาท", "ทำตัวเป็น", "ikaw na ngayon", "mula ngayon",
        "magpanggap", "kunwari", "gumanap", "sasa wewe ni", "kuanzia sasa", "tangu sasa",
        "jifanye", "igiza", "jy is nou", "van nou af", "maak asof", "speel die rol", "አሁን አንተ",
        "ከአሁን ጀምሮ", "አስመስል", "yanzu kai ne", "daga yanzu", "lati isisiyi", "láti ìsinsìnyí",
        "ṣe bí ẹni pé", "dibọn", "site ugbu a", "hadda waxaad tahay", "hadda kadib",
        "iska dhig", "is yeel", "rwyt ti nawr", "o hyn ymlaen", "esgus", "orain zara",
        "hemendik aurrera", "itxurak egin", "a partir d'ara", "d'ara endavant", "fes veure",
        "actua com", "finxe", "þú ert núna", "héðan í frá", "þykjast", "láttu eins og",
        "ippretendi", "aġixxi bħala", "այժմ դու", "այսուհետ", "ձևացրու", "ձեւացրու",
        "ახლა შენ ხარ", "ამიერიდან", "თავი მოიჩვენე", "ითამაშე როლი", "indi sən", "kimi davran",
        "енді сен", "бұдан былай", "кейіп таныт", "endi sen", "bundan buyon", "rolini o'yna",
        "одоо чи", "одооноос эхлэн", "дүр эсгэ", "अब तिमी", "अबदेखि", "දැන් ඔබ", "මෙතැන් සිට",
        "ឥឡូវអ្នកជា", "ពីពេលនេះតទៅ", "ធ្វើពុត", "ຕັ້ງແຕ່ນີ້", "ယခုမှစ၍", "ဟန်ဆောင်",
        "du bass elo", "vun elo un", "nun vi estas", "de nun", "ŝajnigu", "rolu kiel",
        "agu kiel", "nunc es", "ab hoc tempore", "kounye a ou se", "depi kounye a", "pran pòz",
        "fè tankou", "saiki kowe", "wiwit saiki", "ethok-ethok", "pura-pura", "ayeuna anjeun",
        "ti ayeuna", "karon ikaw", "sugod karon", "magpakaaron-ingnon", "ianao izao",
        "manomboka izao", "mody ho", "tsopano ndiwe", "kuyambira pano", "namizira",
        "iye zvino uri", "kubva zvino", "nyepedzera", "ho tloha joale", "iketsise", "guhera ubu",
        "iyitirire", "اوس ته", "له اوس", "niha tu", "ji niha û pê ve", "акнун ту", "аз ин пас",
        "вонамуд", "эми сен", "мындан ары", "хәзер син", "моннан соң", "פון איצט", "do bist no",
        "fan no ôf",
    ),
    "AUTHORITY": (
        "utvecklarläge", "utvecklar", "administratör", "udviklertilstand", "udvikler",
        "utviklermodus", "utvikler", "kehittäjä", "ylläpitäjä", "järjestelmänvalvoja",
        "arendaja", "administraator", "izstrādātāj", "kūrėjo režim", "vývojář", "vývojár",
        "správce", "správca", "razvijalec", "razvijalsk", "skrbnik", "razvojni način",
        "razvojnog načina", "programersk", "розробник", "адміністратор", "режим розробника",
        "режим на разработчик", "развивач", "dezvoltator", "fejlesztő", "rendszergazda",
        "προγραμματιστ", "διαχειριστ", "מנהל מערכת", "מצב מפתח", "ڈویلپر", "منتظم", "ডেভেলপার",
        "প্রশাসক", "டெவலப்பர்", "நிர்வாகி", "డెవలపర్", "నిర్వాహకుడు", "विकासक", "प्रशासक",
        "ડેવલપર", "વિકાસકર્તા", "ਡਿਵੈਲਪਰ", "นักพัฒนา", "ผู้ดูแลระบบ", "msanidi", "wasanidi",
        "msimamizi", "ontwikkelaarsmodus", "ገንቢ", "አስተዳዳሪ", "mai haɓakawa", "olùgbéejáde",
        "olugbeejade", "alabojuto", "onye nrụpụta", "horumariye", "maamule", "datblygwr",
        "gweinyddwr", "garatzaile", "administratzaile", "desenvolupador", "desenvolvedor",
        "þróunaraðil", "kerfisstjór", "żviluppatur", "amministratur", "մշակող",
        "ադմինիստրատոր", "დეველოპერ", "ადმინისტრატორ", "tərtibatçı", "әзірлеуші", "әкімші",
        "dasturchi", "ishlab chiquvchi", "хөгжүүлэгч", "विकासकर्ता", "සංවර්ධක", "អ្នកអភិវឌ្ឍ",
        "ນັກພັດທະນາ", "entwéckler", "programisto", "administranto", "ellaboranto", "devlopè",
        "administratè", "pangembang", "pamekar", "mpamorona", "mugadziri", "pêşdebir",
        "таҳиягар", "иштеп чыгуучу", "אנטוויקלער", "ûntwikkelder",
    ),
    "DISABLE": (
        "inaktivera", "stäng av", "kringgå", "deaktiver", "slå fra", "omgå", "slå av",
        "poista käytöstä", "ohita", "kierrä", "sammuta", "lülita välja", "atspējo", "izslēdz",
        "išjunk", "apeik", "vypni", "deaktivuj", "obejdi", "obíď", "onemogoči", "izklopi",
        "zaobidi", "onemogući", "isključi", "zaobiđi", "deaktiviraj", "онемогући", "искључи",
        "заобиђи", "вимкни", "обійди", "деактивуй", "адключы", "изключи", "деактивирай",
        "заобиколи", "исклучи", "dezactivează", "ocolește", "kapcsold ki", "tiltsd le",
        "kerüld meg", "hatástalanítsd", "απενεργοποίησ", "παράκαμψε", "השבת", "עקוף", "غیر فعال",
        "بند کرو", "নিষ্ক্রিয়", "বন্ধ কর", "முடக்கு", "నిలిపివేయి", "అక్షమ", "अक्षम कर",
        "નિષ્ક્રિય", "બંધ કરો", "ਬੰਦ ਕਰ", "ปิดการใช้งาน", "หลีกเลี่ยง", "i-disable", "patayin",
        "lampasan", "lemaza", "kwepa", "izima", "deaktiveer", "skakel af", "omseil", "አሰናክል",
        "gbanyụọ", "jooji", "analluoga", "diffodd", "osgoi", "desgaitu", "itzali", "saihestu",
        "eludeix", "slökktu", "óvirkjaðu", "iddiżattiva", "անջատիր", "շրջանցիր", "გამორთე",
        "გვერდი აუარე", "söndür", "yan keç", "өшір", "айналып өт", "o'chir", "chetlab o't",
        "унтраа", "идэвхгүй", "बन्द गर", "අක්‍රිය", "malŝaltu", "malebligu", "ĉirkaŭiru",
        "dezaktive", "kontoune", "pateni", "pareuman", "palonga", "vonoy", "zimitsa",
        "dzivisa", "zimya", "hagarika", "بند کړه", "neçalak bike", "хомӯш кун", "өчүр",
        "сүндер", "útskeakelje",
    ),
    "SAFETY": (
        "säkerhet", "sikkerhed", "sikkerhet", "censur", "turvallisuu", "etiikka", "sensuuri",
        "suodatin", "ohutus", "turvalisus", "tsensuur", "drošīb", "cenzūr", "saugum",
        "bezpečnost", "etick", "bezpečnos", "varnost", "sigurnost", "bezbednost", "безбедност",
        "сигурност", "безпек", "бяспек", "siguranț", "securitat", "biztonság", "etikai",
        "szűrő", "ασφάλει", "λογοκρισ", "ηθικ", "φίλτρ", "בטיחות", "אבטחה", "צנזורה", "מסנני",
        "حفاظت", "سنسر", "اخلاقی", "নিরাপত্তা", "সেন্সর", "নৈতিক", "பாதுகாப்பு", "தணிக்கை",
        "భద్రత", "సెన్సార్", "सुरक्षितता", "સુરક્ષા", "સલામતી", "ਸੁਰੱਖਿਆ", "ಸುರಕ್ಷತೆ", "ಭದ್ರತೆ",
        "സുരക്ഷ", "ความปลอดภัย", "การเซ็นเซอร์", "จริยธรรม", "kaligtasan", "sensura", "usalama",
        "udhibiti", "maadili", "sensuur", "etiek", "ደህንነት", "ሳንሱር", "tsaro", "aminci", "ààbò",
        "nchekwa", "badbaado", "amniga", "faafreeb", "diogelwch", "sensoriaeth", "moeseg",
        "segurtasun", "zentsura", "seguretat", "öryggi", "ritskoðun", "siðferð", "sigurtà",
        "ċensura", "անվտանգություն", "գրաքննություն", "უსაფრთხოებ", "ცენზურ",
        "təhlükəsizlik", "senzura", "қауіпсіздік", "xavfsizlik", "axloq", "аюулгүй байдал",
        "ආරක්ෂාව", "សុវត្ថិភាព", "ຄວາມປອດໄພ", "လုံခြုံရေး", "sekureco", "securitas", "sekirite",
        "keslametan", "kaamanan", "kaluwasan", "fiarovana", "sivana", "chitetezo",
        "kuchengeteka", "polokeho", "tshireletso", "umutekano", "خوندیتوب", "ewlehî",
        "бехатарӣ", "коопсуздук", "куркынычсызлык", "זיכערקייט", "צענזור", "feiligens",
    ),
    "NOLIMIT": (
        "utan begränsning", "utan restriktioner", "utan filter", "utan regler", "ocensurerad",
        "uden begrænsning", "uden filter", "uden regler", "ucensureret", "uten begrensning",
        "uten filter", "uten regler", "usensurert", "ilman rajoituksia", "ilman suodattimia",
        "ilman sääntöjä", "rajoittamaton", "sensuroimaton", "ilma piiranguteta", "ilma reegliteta",
        "tsenseerimata", "bez ierobežojum", "bez noteikum", "be apribojim", "be filtr",
        "be taisykl", "be cenzūr", "bez omezení", "bez pravidel", "bez obmedzení",
        "bez pravidiel", "brez omejitev", "brez filtr", "brez pravil", "brez cenzure",
        "bez ograničenja", "bez pravila", "bez filtera", "bez cenzure", "без ограничења",
        "без обмежень", "без фільтр", "без филтр", "fără restricți", "fără filtr",
        "fără reguli", "fără limit", "fără cenzur", "necenzurat", "korlátozás nélkül",
        "korlátok nélkül", "szűrő nélkül", "szabályok nélkül", "cenzúra nélkül",
        "cenzúrázatlan", "χωρίς περιορισμ", "χωρίς φίλτρ", "χωρίς κανόν", "χωρίς λογοκρισ",
        "ללא הגבלות", "בלי הגבלות", "ללא מסננים", "בלי מסננים", "ללא כללים", "בלי כללים",
        "ללא צנזורה", "بغیر کسی پابندی", "بغیر فلٹر", "بغیر پابندی", "সীমাবদ্ধতা ছাড়া",
        "বিধিনিষেধ ছাড়া", "ফিল্টার ছাড়া", "கட்டுப்பாடுகள் இல்லாமல்", "పరిమితులు లేకుండా",
        "निर्बंधांशिवाय", "પ્રતિબંધો વિના", "ไม่มีข้อจำกัด", "ไม่มีตัวกรอง", "ไม่มีกฎ",
        "walang limitasyon", "walang paghihigpit", "walang filter", "walang patakaran",
        "bila vikwazo", "bila kizuizi", "bila vizuizi", "bila mipaka", "bila sheria",
        "bila kichujio", "bila udhibiti", "sonder beperkings", "sonder filter", "sonder reëls",
        "ongesensureer", "ያለ ገደብ", "ያለምንም ገደብ", "ba tare da ƙuntatawa", "ba tare da iyaka",
        "ba tare da dokoki", "laisi ihamọ", "láìsí ìhámọ́", "enweghị mmachi",
        "xaddidaad la'aan", "xayiraad la'aan", "sharci la'aan", "heb gyfyngiadau",
        "heb hidlydd", "heb reolau", "heb sensoriaeth", "murrizketarik gabe",
        "iragazkirik gabe", "araurik gabe", "zentsurarik gabe", "sense restricci",
        "sense filtre", "sense límit", "sense regles", "sense censura", "án takmarkana",
        "án reglna", "án ritskoðunar", "mingħajr restrizzjonijiet", "mingħajr filtri",
        "mingħajr regoli", "առանց սահմանափակում", "առանց կանոնների", "შეზღუდვების გარეშე",
        "ფილტრის გარეშე", "წესების გარეშე", "məhdudiyyətsiz", "məhdudiyyət olmadan",
        "filtrsiz", "qaydasız", "шектеусіз", "сүзгісіз", "ережесіз", "cheklovsiz", "qoidasiz",
        "хязгаарлалтгүй", "шүүлтүүргүй", "प्रतिबन्ध बिना", "සීමා නොමැතිව", "គ្មានការរឹតបន្តឹង",
        "ບໍ່ມີຂໍ້ຈຳກັດ", "ကန့်သတ်ချက်မရှိ", "ouni restriktiounen", "sen limigoj", "sen filtriloj",
        "sen reguloj", "sen cenzuro", "sine restrictionibus", "sine limitibus", "sine regulis",
        "san restriksyon", "san filtè", "tanpa watesan", "tanpa wates", "walay pagdili",
        "walay limitasyon", "tsy misy fetra", "tsy misy sivana", "popanda zoletsa",
        "popanda malire", "pasina zvirambidzo", "pasina miganhu", "ntle le lithibelo",
        "nta mbogamizi", "nta mategeko", "بې محدودیته", "پرته له محدودیت", "bê sînor",
        "bê qedexe", "бе маҳдудият", "чектөөсүз", "чикләүсез", "sûnder beheiningen",
    ),
    "ONLYSAY": (
        "svara bara med", "inget annat", "svar kun med", "intet andet", "svar bare med",
        "ingenting annet", "vastaa vain", "ei mitään muuta", "odpověz pouze", "odpověz jen",
        "nic jiného", "odpovedz iba", "nič iné", "odgovori samo", "nič drugega", "ništa drugo",
        "відповідай лише", "відповідай тільки", "нічого іншого", "отговори само", "нищо друго",
        "răspunde doar", "răspunde numai", "nimic altceva", "válaszolj csak", "semmi mást",
        "απάντησε μόνο", "τίποτα άλλο", "ענה רק", "השב רק", "שום דבר אחר", "ตอบเพียง",
        "sumagot lamang", "wala nang iba", "hakuna kingine", "antwoord slegs", "niks anders nie",
        "dim byd arall", "respon només", "respondu nur", "nenion alian",
    ),
    "HYPO": (
        "hypotetisk", "föreställ dig", "forestil dig", "kuvittele", "hypoteettinen",
        "představ si", "hypotetick", "képzeld el", "hipotetikus", "imaginează-ți", "φαντάσου",
        "υποθετικ", "דמיין", "היפותטי", "hipotetik", "fikiria", "kidhahania", "уяви",
        "гіпотетичн", "представи си", "хипотетичн", "замисли", "zamisli", "imagina't", "imagu",
        "hipotez", "isipin mo",
    ),
}  # fmt: skip
for _concept, _stems in _MORE_LANGUAGES.items():
    CONCEPTS[_concept] = CONCEPTS[_concept] + _stems

# Chinese/Japanese, and (session 8) Thai, Lao, Khmer and Burmese, also written without spaces.
_NO_SPACE_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)
_WORD_START = re.compile(r"(?<!\w)\w")
_KEY = 3


def _fold(stem: str) -> str:
    """A stem as normalize() leaves the text it is matched in (NFKC, case-folded, dotless i and
    other Latin look-alikes mapped): Thai sara am, Greek final sigma and Turkish "ı" change.
    Session 8: before this, stems such as "yukarıdaki" or "χωρίς" could never match."""
    return (
        unicodedata.normalize("NFKC", stem)
        .casefold()
        .replace("i\u0307", "i")
        .translate(_LATIN_TABLE)
    )


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, int]]]:
    """Stems by their first three characters (longest first), and the unspaced-script stems."""
    by_key: dict[str, list[tuple[str, int]]] = {}
    unspaced: list[tuple[str, int]] = []
    seen: set[str] = set()
    for i, name in enumerate(sorted(CONCEPTS)):
        for stem in map(_fold, CONCEPTS[name]):
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
