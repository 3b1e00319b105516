"""The expressions of a person's post in an article: names, titles (the ontology's roles and
titles it does not know, by their head word), organizations, and the ways journalists join
them ("Jane Doe, CMO at Acme", "Acme-CIO Jane Doe", "Er ist Partner bei Acme", "in seiner
Funktion als Präsident des Verbands"). patterns/posts.py combines them into candidates.
"""

import re

NAME = r"(?:Dr\. |Prof\. |Mag\. |Dipl\.-[A-Z][a-z]+\. |Ing\. |Ms\. |Mr\. |Mrs\. )*[A-ZÄÖÜ][\w'’-]+(?: [A-ZÄÖÜ]\.)?(?: (?:von (?:der |dem )?|van (?:het |der |den )?|de (?:la )?|zu |di |da |del )?[A-ZÄÖÜ][\w'’-]+){1,2}(?: Jr\.| Sr\.)?"
# degrees and honours after a name: "Thomas C. Dolan, PhD, FACHE, CAE, president of …"
CREDENTIALS = r"(?:, (?:Ph\.? ?D\.?|(?:[A-Z]\.){2,3}|Esq\.|(?!C[A-Z]{1,3}O\b|MD\b)[A-Z]{2,5}))*"
# "Korn/Ferry"; a web address written in lower case is a name too ("karriere.at")
ORG_WORD = r"(?:[A-ZÄÖÜ0-9][\w&'’°+/-]*(?:\.[\w&'’-]+)*|[a-z][\w-]*\.(?:at|ch|com|de|io|net|org)\b)"  # dots only inside a word: "Rackspace. Zuvor" is no name
# a company's legal form or kind, which ends its name
COMPANY = r"(?:GmbH|AG|SE|KG|Group|Gruppe|Holding|Inc\.|Ltd\.|LLC|Corp\.)"
ORG = rf"(?:der |die |dem |den |the )?(?P<org>{ORG_WORD}(?: (?:&|und|and|of(?: the)?|für|for|{ORG_WORD})){{0,4}})"
AT = r"(?:bei|von|der|des|an der|am|at|of|with|for)"
PRONOUN = r"\b(?:[Ee]r|[Ss]ie|[Hh]e|[Ss]he)"
# "Autor des Buches …": a noun in the genitive, no organization's name
GENITIVE_NOUN = re.compile(r"des [A-ZÄÖÜ][a-zäöüß]+(?:es|ens)\b")
ADVERBS = (r"(?: (?:zudem|seit (?:[A-ZÄÖÜ][a-zäöü]+ )?(?P<since>\d{4})|since (?:[A-Z][a-z]+ )?(?P<since2>\d{4})|"
            r"zuvor|zuletzt|former(?:ly)?|previously|recently|kürzlich|now|heute|auch|also|derzeit|currently|"
            r"bereits|inzwischen))*")
# "X, seit 2012 …" / "X ist (seit 2012) …" / "Er ist zudem …" right before the role
SUBJECT = re.compile(
    rf"(?:(?P<person>{NAME})(?: \(\d{{2}}\))?{CREDENTIALS}|(?P<pron>{PRONOUN}))(?: previously| formerly| also| currently)?"
    rf"(?:, who (?:is|was|has been|serves as|served as|works as)|, (?:der|die)(?= seit| zuvor| derzeit| heute)|(?<=[Hh]e)['’]s|,| ist| war| is| was| wurde| became| arbeitet als| works as|"
    rf" serves as| [a-zäöü]+e?t als|"
    rf" served as| has served as| fungiert als| has been| had been| was named| was appointed| took over as|"
    rf" der| die| the)"
    rf"{ADVERBS}(?: als| as)?(?: der| die| the| an?)?(?:(?: (?!(?:bei|at|of|von|der|des|for|für|with|in)\b)[\w'’-]+){{1,4}} (?:and|und|&))?(?: [\w'’-]+)?(?: [\w'’-]+/|/)? ?$")
# "X joined Y as …", "Sie wechselte 2019 zu Y als …": the organization before the role
JOINED = re.compile(
    rf"(?:(?P<person>{NAME})(?:, who)?|(?P<pron>{PRONOUN})) (?:joined|kam(?: \d{{4}})? zu|wechselte(?: \d{{4}})? zu)"
    rf" {ORG}(?: in (?P<since>\d{{4}}))? (?:as|als)(?: the| an?| der| die)? $")
# the name in apposition after the title: "Acme's chief marketing officer, Jane Doe, said", "Die CIO von
# Beispielwerk, Anna Beispiel, sagt"
APPOSITION = re.compile(rf"(?:\s+(?:von|bei|of|at|der|des)\s+{ORG_WORD}(?: {ORG_WORD}){{0,3}}(?: in [A-ZÄÖÜ][\w-]+)?)?,\s"
                        rf"(?P<person>{NAME})[,.]")
# the subject of a bio and a list of its posts, up to the one before a role: "X ist Seniorpartner der A,
# Redner, Buchautor sowie Ehrenpräsident des B"
LIST_TAIL = r"(?: seit (?P<since>\d{4}))? [^.;:]*(?:,|\bsowie|\bund|\baußerdem|\bzudem|\band|\bas well as)(?: [a-zäöü]\w*)? $"
LISTED = re.compile(
    rf"(?:^|:\s+|•\s*|[.!?]\s+)(?:(?P<person>{NAME})|(?P<pron>{PRONOUN}))(?: ist| war| is| was){LIST_TAIL}")
# … with the verb first: "Zuvor war er Agenturleiter bei A sowie Head of Business Development bei B"
LISTED_AFTER_VERB = re.compile(rf"(?:^|[.!?]\s+)[A-ZÄÖÜ]\w* (?:ist|war) (?P<pron>er|sie){LIST_TAIL}")
# "arbeitet er als …", "war er …": the pronoun after the verb
INVERTED = re.compile(
    rf"\b(?:ist|war|arbeitet|wurde|fungiert|[a-zäöü]+et(?= \w+ als))\s+(?P<pron>er|sie){ADVERBS}(?: als)?(?: der| die)? ?[\w-]*$")
# an English title written with capitals ("Managing Director", "Dean", "Senior Vice President")
EN_TITLE = r"(?:[A-Z][a-z]+ ){0,2}(?:President|[SE]?VP|Director|Dean|Partner|Manager|Head|Chair(?:man|woman)?|Founder|" \
            r"Co-[Ff]ounder|Professor|Principal|Economist|Analyst)"
# the department a title heads, before the organization: "Vice President of Marketing at Acme"
OF_DEPARTMENT = r"(?: (?:of|for) (?:[A-Z][\w&-]*|IT)(?: (?:and|&) [A-Z][\w&-]*)?(?= (?:at|bei|with) ))?"
VERB_IS = r"(?:ist|war|is|was|has been)(?: seit \d{4}| since \d{4})? (?:der |die |the |an? )?"
# a person (or a pronoun, or a relative pronoun after the person: "X, who is …"), a title of one to
# four words (a capitalised German noun or English words) and the organization; after an English
# capitalised title the organization may follow without a preposition ("Managing Director BMC EMEA")
TITLED = re.compile(
    rf"(?:(?P<person>{NAME}), (?P<rel>who {VERB_IS}|(?:der|die)(?: seit \d{{4}})? (?:als )?)?|"
    rf"(?P<pron>{PRONOUN}) {VERB_IS}|"
    rf"(?<=ist |war )(?P<pron_inv>er|sie)(?: seit \d{{4}}| zudem| auch)* (?:der |die )?)"  # "Seit 2019 ist sie …"
    rf"(?P<title>(?:(?:[a-zäöü][\w-]* ){{0,3}}[A-ZÄÖÜ][a-zäöüß]+(?:in|er|ent|or|ident|stand|yst)|"
    rf"(?P<en>{EN_TITLE})|"
    rf"(?:[a-z][\w-]* ){{0,3}}(?:president|director|officer|partner|manager|head|chair|founder))"
    rf"{OF_DEPARTMENT})"
    rf"(?(en) (?:(?:bei|des|der|von|at|of) )?| (?:bei|des|der|von|at|of) ){ORG}")
# "X, the council's executive director": the organization's possessive before the title
OWNED = re.compile(
    rf"(?P<person>{NAME}), (?:the )?(?P<org>{ORG_WORD}(?: {ORG_WORD}){{0,3}}?)(?:['’]s|(?<=s)['’]) (?P<rel>)"
    rf"(?P<title>(?:[a-z][\w-]* ){{0,3}}(?:president|director|officer|partner|manager|head|chair|founder|analyst|"
    rf"economist)|{EN_TITLE})\b")
# the head word of a job title the ontology need not know: German by its ending ("Bereichsleiterin",
# "Vorstandsmitglied", "Bitkom-Präsident", "PwC-Vorstandsmitglied"), English from a list ("analyst", "Vice President")
TITLE_DE = (r"(?=[A-ZÄÖÜ])(?:[\wäöüß]+-)?[\wäöüß]*?-?(?:[Ll]eiter|[Cc]hef|[Ff]ührer|[Dd]irektor|[Pp]räsident|[Vv]orstand|[Mm]itglied|[Aa]nalyst|"
             r"[Bb]erater|[Ss]precher|[Gg]ründer|[Ii]nhaber|[Pp]artner|[Mm]anager|[Rr]eferent|"
             r"[Vv]orsitzend|[Pp]rofessor|[Rr]ektor|[Dd]ekan|[Oo]bmann|[Oo]bfrau|[Hh]erausgeber|[Mm]inister|[Öö]konom|[Vv]olkswirt|[Gg]eschäftsführer|[Aa]utor|[Rr]edakteur|[Ss]ekretär|[Gg]esellschafter)(?:in|e|er|en)?")
TITLE_EN = (r"(?i:(?:co-)?(?:(?:vice[- ])?president|director|officer|partner|principal|manager|head|chair(?:man|woman|person)?|"
             r"executive|secretary|counsel|"
             r"founder|professor|dean|economist|analyst|consultant|strategist|advis[eo]r|lead(?:er)?|fellow|"
             r"scientist|researcher|evangelist|minister|governor|mayor|chancellor|senator|treasurer|premier|taoiseach|"
             r"attorney[- ]general|[SE]?VP))|"
             r"C[A-Z]{1,3}O(?:/C[A-Z]{1,3}O)?|GC|Chief [A-Z][a-z]+")  # "Chief Evangelist"
TITLE_WORD = rf"(?:{TITLE_DE}|(?:{TITLE_EN})(?:-[A-Za-z][a-z]+){{0,2}}|MD)\b"  # "Director-General", "partner-in-charge"
# modifiers before the head ("senior vice president", "national managing partner", "Senior Director")
# and a department after it ("of marketing", "Marketing DACH", "IT")
TITLE_PHRASE = (rf"(?:(?:[A-Z][a-z]+ (?:and|&) (?=[A-Z][a-z]+ ))|(?!(?:{TITLE_EN})\b)[a-z]+ (?:and|&) (?=[a-z]+ ))?"  # "Policy and Research Director", "deals and corporate finance partner"
                rf"(?:(?:(?!(?:in|as|als|his|her|its|their|the|an?|der|die|das|of|at|bei|who|is|was|and|und|or|oder)\b)[a-z][\w-]*|"
                 rf"[A-ZÄÖÜ][a-zäöüß]+|[A-ZÄÖÜ]{{2,6}}) ){{0,4}}{TITLE_WORD}"
                 # a field in lower case ("of academic affairs", "of the firm's energy practice"), or in capitals
                 # when an organization follows ("Vice President of Marketing at Acme"); "of SEEC" alone is the organization
                 rf"(?:,? (?:of|for|für|in|im Bereich) (?:the )?(?:[a-z][\w&-]*(?:['’]s)?(?: (?!(?:at|of|with|bei|von|in|for)\b)[a-z][\w&-]*){{0,2}}"
                 rf"|[A-Z][\w&-]*(?: [A-Z][\w&-]*){{0,2}}(?: [a-z][\w&-]*)?(?= (?:at|bei|with|von|of) |,)|[A-Z][\w&-]*(?= (?:and|&|und) [A-Z]))"
                 rf"(?: (?:and|&|und) [A-Za-z][\w&-]*)?|"
                 rf",? (?:[A-Z][\w&-]*|IT)(?= (?:[A-Z][\w&-]* )?(?:at|bei|of|von|der|des|and|und|&)\b)){{0,2}}")  # "VP IT and CIO of Acme"
GEN_AT = r"(?:at|of|for|with|to|bei|von|vom|beim|der|des|im|am)"  # "senior adviser to Acme"
# what kind of organization it is, before its name: "MD of executive search firm Leaders Unlimited"
KIND_OF_ORG = (r"(?:(?:[a-z][\w-]* ){0,3}(?:firm|company|consultancy|agency|bank|association|institute|network|provider|"
               r"group|maker|retailer|publisher|council|federation|lender|fund|start-?up|insurer|specialist) )")
NOT_NAMES = {"Die", "Der", "Das", "Den", "Dem", "Des", "Ein", "Eine", "The", "In", "Im", "On", "Bei", "Laut", "Nach", "Mit",
              "Für", "Auch", "So", "Wie", "Als", "Auf", "Von", "Zum", "Zur", "This", "That", "For", "With", "At", "Of",
              "Sein", "Seine", "Ihr", "Ihre", "Unser", "Unsere", "Mein", "Meine", "His", "Her", "Their", "Our", "My",
              "Added", "Adds", "Explained", "Noted", "Commented", "Sagt", "Sagte", "Erklärt", "Ergänzt", "Betont"}
# words before a title that say which post, not whose ("Former CIO Jane Doe", "Group CIO")
TITLE_WORDS = {"Former", "Global", "Group", "Interim", "Acting", "Deputy", "Senior", "Executive", "New", "Then", "Ex",
                "Regional", "Corporate", "Chief", "Designated", "Incoming", "Outgoing", "Current", "Said", "As",
                "When", "While", "And", "But", "Our", "Their", "His", "Her", "Its"}
_TITLE_WORD_ALT = f"(?:{'|'.join(sorted(TITLE_WORDS))})"
# titles next to a person, in three orders (each its own expression: one phrase may hold two):
# "Jane Doe, senior analyst at Acme", "Jane Doe (Partnerin, Acme)", "Max Muster stellt in seiner
# Funktion als Präsident des Verbands …"; "Gartner analyst Jane Doe"; "der Studienleiter der Acme, Max Muster,"
GENERIC = (
    re.compile(
        rf"(?P<person>{NAME}){CREDENTIALS}(?: \((?:Foto|Bild|photo|pictured|right|left|links|rechts)\))?"
        rf"(?:, (?:the |a |an |der |die |its |his |her |their |the (?:firm|company|group|bank|association)['’]s )?| \(|"
        rf"(?P<als>,? (?:[a-zäöü]+ )?(?:in (?:seiner|ihrer) (?:Funktion|Eigenschaft|Rolle)|in (?:his|her) (?:role|capacity))"
        rf" a(?:l)?s | als (?=(?:[\w-]+ ){{1,3}}(?:des|der|von|bei) )))(?P<title>{TITLE_PHRASE})"
        # a second title before the same organization: "president and CEO of Acme", "Geschäftsführerin
        # und Partnerin von Kienbaum" (each a post)
        rf"(?:(?: (?:and|und|&) |/)(?P<title_b>{TITLE_PHRASE}|(?:[\w-]+ ){{0,3}}?[\w-]+(?= (?:at|of|for|bei|von|der|des) )))?"
        # the organization; a brand may be written in lower case ("Chefredakteur der absatzwirtschaft –")
        rf"(?:(?:,? {GEN_AT}|,) (?:the |der |die |dem )?{KIND_OF_ORG}?(?P<org>{ORG_WORD}(?: (?:&|und|and|of(?: the)?|für|for|"
        rf"(?:der|des) (?:[a-zäöü]+en )?{ORG_WORD}|{ORG_WORD})){{0,4}}"  # "des Gesamtverbands der deutschen Textil- und Modeindustrie"
        rf"|(?<= )[a-z][\w-]+(?= [–-] |[,;)]))(?: in (?:der |den |the )?[A-ZÄÖÜ][\w-]+)?)?"  # "bei Deloitte in der Schweiz"
        rf"(?(als)(?=[\s,.;)])|(?=[,;:)\n]|\.(?:\s|$)|$| [–-] | (?:and|und|sagt|said|says)\b))"),
    re.compile(rf"(?<![\w-])(?:(?!{_TITLE_WORD_ALT}\b)(?P<org>(?:[A-ZÄÖÜ][\w&]+ ){{0,2}}[A-ZÄÖÜ][\w&]+)(?:-| ))?"
               rf"(?P<title>(?:(?:senior|executive|managing|global|chief|research|principal|vice) ){{0,2}}{TITLE_WORD}"
               rf"(?: of [a-z]+)?)(?: (?:and|und|&) (?P<title_b>[\w-]+))?\s(?P<person>{NAME})"
               rf"(?= ?[,.;:!?)]| [a-zäöü])"),
    re.compile(rf"(?<![\w-])(?P<org>{ORG_WORD}(?: {ORG_WORD})?)['’]s (?P<title>{TITLE_PHRASE}), (?P<person>{NAME})(?=[,.;]| [a-z])"),
    re.compile(rf"(?<![\w-])(?P<title>{TITLE_PHRASE}) (?:at|bei) (?P<org>{ORG_WORD}(?: {ORG_WORD})?) (?P<person>{NAME})"
               rf"(?=[,.;:!?)]| [a-zäöü])"),
    # "the head of research at Acme, Jane Doe,", also opening a line ("President of ADVAN, Jane Doe led …");
    # without the article where the person speaks: "…,” chief executive of the Institute of Directors Jane Doe said"
    re.compile(rf"(?:(?P<article>[Tt]he |[Dd]er |[Dd]ie |(?<![^\n]))|(?<=[”\"“] ))(?P<title>{TITLE_PHRASE})"
               rf" (?:{GEN_AT}|in) (?:the |der |die )?"
               rf"(?P<org>{ORG_WORD}(?: (?:[a-zäöü]+e[nrs]?|und|and|&|of(?: the)?|{ORG_WORD})){{0,5}}(?: \([A-Z][\w-]{{1,10}}\))?),? (?P<person>{NAME})"
               rf"(?(article)(?=[,.;]| [a-zäöü])|(?= (?:said|says|sagt|sagte)\b))"))
# a caption's or a signature's line: the name and the title with no comma between them ("Mag. Dr. Andrea
# Fronaschütz Chief Operating Officer und Gesellschafterin des Gallup Instituts", "Jane Doe Managing Partner,
# Acme"); the name's words are no title's
_NAME_WORD = r"(?!(?:Chief|Senior|Managing|Executive|Vice|General|Head|Global|Group|Regional|Director|President|Partner)\b)[A-ZÄÖÜ][\w'’-]+"
CAPTION = re.compile(
    rf"(?m)^(?P<person>(?:(?:Dr\.|Prof\.|Mag\.) )*{_NAME_WORD}(?: [A-ZÄÖÜ]\.)?(?: {_NAME_WORD}){{1,2}}) "
    rf"(?P<title>(?:[A-Z][a-z]+ ){{0,3}}(?:{TITLE_EN}|{TITLE_DE}))"
    rf"(?:(?: (?:and|und|&) )(?P<title_b>{TITLE_PHRASE}))?"
    rf"(?:,? (?:{GEN_AT} )?(?:the |der |des |dem )?(?P<org>{ORG_WORD}(?: (?:&|und|and|of(?: the)?|{ORG_WORD})){{0,6}}))?"
    rf"(?=[,.;:)]|\s*$| in )")
# the organization's name before a title in lower case, with no possessive: "Graeme Leach, IoD chief economist, said"
ORG_TITLE = re.compile(rf"(?P<person>{NAME}), (?P<org>{ORG_WORD}(?: {ORG_WORD}){{0,2}}) "
                       rf"(?P<title>(?:[a-z][\w-]* ){{0,3}}(?:{TITLE_EN}))(?=[,.;]| (?:said|says|added)\b)")
# … and the same before the name, with a comma, after a verb of saying: "said IoD chief economist, Graeme
# Leach." (a modifier in lower case first: in "Business Secretary, Jane Doe" or "CFO Program leader, Jane
# Doe" no name is the organization's)
_AFTER_SAYING = r"(?:(?<=\bsaid )|(?<=\bsays )|(?<=\badded )|(?<=\badds ))"
ORG_TITLE_NAME = re.compile(rf"{_AFTER_SAYING}(?!(?:{'|'.join(sorted(NOT_NAMES | TITLE_WORDS))})\b)"
                            rf"(?P<org>{ORG_WORD}(?: {ORG_WORD})?) "
                            rf"(?P<title>(?:(?!(?:the|an?|its|his|her|their|of|and)\b)[a-z][\w-]* ){{1,3}}(?:{TITLE_EN})), "
                            rf"(?P<person>{NAME})(?=[,.;]| [a-z])")
GENERIC = GENERIC + (CAPTION, ORG_TITLE, ORG_TITLE_NAME)
# a name ending so is an organization's ("a report by Acme Corp")
ORG_TAIL = re.compile(r"\b(?:Corp|Inc|Ltd|LLC|GmbH|AG|SE|Group|Gruppe|Council|Institute|Institut|University|Center|Centre|Zentrum|"
                       r"Universität|College|School|Association|Verband|Bank|Partners|Research)\.?$")
# what follows a bare "Leiter"/"head" when it heads a field, not an organization
HEAD_OF_FIELD = re.compile(r"(?: (?:of|for) (?:the )?(?!the\b)[a-z][\w&-]*(?: (?:and|&) [a-z][\w&-]*)?"
                           r"| (?:des|der) [\w-]*(?:[Gg]eschäfts|[Bb]ereichs|[Aa]bteilung|[Rr]essorts|[Ss]parte|[Tt]eams)\b"
                           r"| [A-Z]{2,5} [A-ZÄÖÜ][\wäöüß&-]*(?= [a-zäöü]|[,.;)]|$)"  # "Leiter CIO Advisory"
                           r"| of [A-Z][\w&-]*['’]s [a-z]"  # "head of Compass's practice for manufacturing"
                           r"| of the [A-Z]{2,5} [a-z]"  # "head of the CFO program"
                           # a field in capitals before the organization: "Head of Brand Marketing bei der Zürich",
                           # "Leiter des Advisory für CFO-Strategie bei Horváth", "Head of Research, Acme"
                           r"| (?:of|des|der) (?:[a-zäöü]+en )?[A-ZÄÖÜ][\w&-]*(?: (?:and |& |für |for )?[\w&-]+){0,3}(?=,? (?:bei|at|with|von) |, [A-ZÄÖÜ])"
                            r"| (?:des Bereichs |der Abteilung |für )?[A-ZÄÖÜ][\wäöüß&]*(?:-[\wäöüß]*)*(?= [a-zäöü]|[,.;)]|$))")  # "Leiter Privat- und Firmenkundenbank"
# words that make a capitalised phrase a study's, a magazine's or a heading's, not a person's name
NOT_PERSON = re.compile(r"\b(?:Index|Survey|Study|Studie|Report|Magazine?|Barometer|Outlook|Monitor|Insight|Summit|"
                         r"Awards?|Issue|Trends?|Forum|Panel|Program|Programm|Business|Development|Marketing|Sales|"
                         r"Research|Finance|Strategy|Digital|Vertrieb|Kommunikation|Services?|Solutions|Technology|"
                         r"Consulting|Communications|Operations|Innovation|Analytics|Data|Deutschland|Germany|Europe|"
                         r"Europa|DACH|EMEA|Global|International|Public|Domain|Online|Euro|Dollar|Prozent|Millionen|"
                         r"Milliarden|Österreich|Schweiz|Austria|Switzerland|Bank|Deutschen?|Wirtschaft)\b")
# verbs of saying, before or after a speaker's name
SAYING = (r"sagt|sagte|so|laut|erklärt|erklärte|betont|betonte|meint|meinte|said|says|explains|explained|adds|added|"
          r"according to|notes|noted")
SAYING_BEFORE = re.compile(rf"\b(?:{SAYING}|ergänzt|ergänzte)"
                           r"(?: (?:der|die|the))?(?: [A-ZÄÖÜ][\w&-]*)? $")
# persons are named where they speak or are quoted
SPEAKER = re.compile(
    rf"(?:\b(?i:{SAYING}|mit|by|to|with|von|predicts|warns|prognostiziert|warnt)\s+(?P<a>{NAME}))"
    rf"|(?:(?P<b>{NAME}),?\s+(?:sagt|sagte|erklärt|said|says)\b)"
    # a name opening a sentence or following a quotation, before a verb: "“…,” Jane Doe predicts"
    rf"|(?:(?:^|[.!?]\s+|[,“”\"»«]\s*)(?P<c>{NAME})\s+[a-zäöü]+)", re.MULTILINE)
