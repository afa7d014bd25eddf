"""Distress triage: the detector on sentences written from each class (ours, in all three
languages, both directions), its figures on the labelled sets, and the answer through the
real engine, directory and renderer: emergency numbers first, for the right country."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.app import build_engine
from bot.i18n import Translator
from bot.rendering import TextRenderer
from flows.distress import DistressDetector
from flows.distress.answer import first_line_has_number
from flows.engine import Conversation, Engine, Result
from tests.helpers.events import command, find_choice, msgids, press, text

DATA = Path(__file__).resolve().parents[1] / "data"
RENDER = TextRenderer(Translator.load())


@pytest.fixture(scope="module")
def detector() -> DistressDetector:
    return DistressDetector.load()


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


# -- the detector, class by class -------------------------------------------------------------

DISTRESS = [
    # (text, a class it must name, words its evidence must quote from the text)
    ("tolong, aku dikurung majikan di gudang", "confined", "dikurung"),
    ("sy gk boleh pulang sama bos, udah 3 bulan", "confined", "gk boleh pulang"),
    ("меня заперли в квартире и не выпускают", "confined", "заперли"),
    ("we are locked in the dorm, the agent wont let us go out", "confined", "locked in"),
    ("majikan ambil paspor sama hp aku", "documents_taken", "ambil paspor"),
    # kept from a doctor while ill: the fever is the point, not an everyday mishap
    ("aku demam tinggi udah 2 hari, majikan gak ngizinin ke dokter, tetep disuruh kerja",
     "violence", "disuruh kerja"),
    ("у меня температура 39, бригадир к врачу не пускают говорит работай", "violence",
     "к врачу не пускают"),
    # held at a workplace; wanting to run away with no way out
    ("помогите меня держат на кирпичном заводе в Дагестане", "confined", "меня держат"),
    ("help I'm held at a factory in Kazan", "confined", "held"),
    ("help me im locked in a flat in Moskva", "confined", "locked"),
    ("i want to escape from my boss house but dont know how", "confined", "escape"),
    ("хочу сбежать от работодателя, но не знаю как", "confined", "сбежать"),
    ("sy udh gk kuat, mau kabur tp gk tau jalan", "confined", "kabur"),
    # Uzbek and Tajik: locked up, held
    ("Moskva shahrida meni qamab qo'yishdi yordam bering", "confined", "qamab"),
    ("Ёрдам диҳед, маро дар Маскав нигоҳ медоранд", "confined", "нигоҳ медоранд"),
    # a sale "already paid for" is no story that is over
    ("tolong aku dijual ke bos lain, katanya udah dibayar, besok dipindah", "sold_or_moved",
     "dijual"),
    # made to keep guests company, refusing not allowed; a phone watched
    ("aku dijanjiin kerja di restoran, ternyata disuruh nemenin tamu, gak boleh nolak",
     "forced", "nolak"),
    ("за нами следят, телефон проверяют каждый вечер, звонить можно только при них",
     "confined", "телефон проверяют"),
    ("у меня забрали паспорт и телефон", "documents_taken", "забрали паспорт"),
    ("my boss took my passport and says i owe him", "documents_taken", "took my passport"),
    ("aku dipukuli mandor tiap malam", "violence", "dipukuli"),
    ("хозяин бьёт меня каждый день", "violence", "бьёт"),
    ("she beat me again with a belt", "violence", "beat me"),
    ("kalau aku kabur keluargaku mau dicelakai", "violence", "kalau aku kabur"),
    ("aku dijual ke majikan lain", "sold_or_moved", "dijual"),
    ("не знаю где я, нас привезли ночью", "sold_or_moved", "не знаю где я"),
    ("they forced me to work without pay for a year", "forced", "forced"),
    ("zaperli nas na sklade, ne vypuskayut", "confined", "zaperli"),
    # "dulu" after a sum is "first", not "once"; "ga pernah" is "never"; «у», not "you"
    ("aku dikurung di mess, harus bayar 10 juta dulu baru boleh pulang", "confined", "dikurung"),
    ("gaji ga pernah dikasih, bos ga bolehin aku pulang", "confined", "ga bolehin aku pulang"),
    ("bosku sering nendang aku kalau salah, badan memar", "violence", "nendang"),
    ("i was given to another man to pay my father's debt", "sold_or_moved", "given to another"),
    ("aku kerja ning omah juragan, ora tau prei, bayaran ora tau dikek'i", "forced",
     "ora tau prei"),
    # a threat on the family if a debt is not paid; a phone's messages read and calls barred
    ("kalau aku tidak bayar utang, keluargaku dipolisikan kata agen", "violence",
     "kalau aku tidak bayar"),
    ("if i dont pay, my mother will be arrested, the agent says. im scared", "violence",
     "if i dont pay"),
    ("он читает мои переписки и запрещает звонить маме", "confined", "запрещает звонить"),
    ("is it normal that my boss locks the door when he leaves? i haven't been outside for 3 "
     "months", "confined", "haven't been outside"),
    ("rabotaem na ferme, zarplatu zabiraet posrednik, govorit dolg", "forced",
     "zarplatu zabiraet"),
    ("my boss keep our passport", "documents_taken", "keep our passport"),
    ("my boss is killing me, he beat me again last night", "violence", "beat me"),
    ("also my employer keep my passport for safekeeping", "documents_taken", "keep my passport"),
    ("zakryli nas na sklade, pasporta u brigadira", "confined", "zakryli nas"),
    ("the agent stole my passport and i cant go home", "confined", "cant go home"),
    # a phone lost is a mishap; the passport they took in the next clause is not
    ("i lost my phone, they took my passport and wont let me leave", "documents_taken",
     "took my passport"),
    # the police named in a report about one's sister: no news about strangers
    ("kakak dikurung majikan di riyadh, polres bilang urus sendiri", "confined", "dikurung"),
    # the writer came by the advert: its terms no longer frame the words of danger
    ("Требуются официантки в Дубай — приехала по этой вакансии, паспорт отобрали, держат в "
     "квартире", "confined", "держат в"),
    # a warning's words, but the writer is in it now or pleads
    ("месяц назад всех предупреждала, а теперь сама попала: хозяйка кафе забрала паспорт, я "
     "в Анталии", "documents_taken", "забрала паспорт"),
    ("hati2 teman2, aku sekarang dikurung agen di batam, tolong", "confined", "dikurung"),
    # "udah lewat perbatasan" (already over the border) is no story that is over
    ("kami dipindah malem2 naik mobil box, hp dikumpulin, udah lewat perbatasan",
     "documents_taken", "hp dikumpulin"),
    # a phone checked and its contacts deleted; locked in a room when guests come
    ("the madam check my phone every night and delete all contacts, cant call my kids",
     "confined", "check my phone"),
    ("hp ku dicek tiap malam sm majikan, kontak keluarga dihapus semua", "confined",
     "dicek"),
    ("they lock me in the back room when visitors come, whole day no food", "confined",
     "lock me"),
    # "tidak pernah setuju" (never agreed) is no story that is over; a name ("kalimantan")
    # that reads as Russian does not make "ga" Russian
    ("agen bilang aku udah dijual ke bos baru di kalimantan, besok dikirim, aku ga pernah "
     "setuju", "sold_or_moved", "dijual"),
]
# Fear often laughs: a joke the writer says is none does not cancel the danger.
EARNEST = ["haha aku kayak tahanan aja 😅 tp serius, aku dikunci di rumah majikan",
           "lol im like a prisoner here, not joking, they locked me in and took my phone",
           "ахаха как в тюрьме тут, без шуток, паспорт забрали и не выпускают"]
CRIES = ["tolong", "tlg sy", "помогите", "памагите", "SOS", "help me please", "hlep",
         "pamagite", "pamogi mne",  # Russian misspelt by sound, in Latin letters
         # longer, when the writer cannot speak freely
         "pls someone reply i'm scared i can't talk long",
         "iltimos yordam beringlar… ne mogu govorit, pishu tiho",
         "tolong siapa aja bales, aku takut, gak bisa lama"]
LOOKALIKES = [
    "tolong cek lowongan ini ya, katanya paspor disimpan agen",  # a task, an offer's terms
    "помогите проверить вакансию в Корею",
    "help me check this job offer before i sign",
    "what should I do if my employer takes my passport?",  # hypothetical question
    "kalau misal nanti paspor ditahan agen, harus lapor ke mana?",
    "можно ли законно забирать паспорт у работника?",  # the law
    "last year my cousin was locked in by her boss but now she is home safe",  # over
    "dulu aku pernah dipukul majikan, sekarang sudah pulang dan aman",
    "beware: agents take passports and lock workers in",  # a warning to others
    "Dicari pelayan, paspor akan disimpan agen selama kontrak",  # an offer's terms
    "Waitress in Dubai, 3000 USD a month, no experience, ticket paid by the agent",  # pay
    "motor aku udh dijual kemarin",  # a thing sold
    "my phone was taken for repair, back on Monday",  # everyday
    "dikurung hujan seharian di kos haha",  # a joke
    "SOS kuota habis",
    "I sold my bike yesterday",
    "my phone was stolen on the train, how do i block the sim?",  # everyday thefts, losses
    "у меня украли телефон в маршрутке",
    "hp aku dicopet di pasar tadi",
    "locked myself out again, the keys are inside",
    "my mom took my phone because of my grades",  # a parent's rule
    "the court sentenced the agent who locked workers in a warehouse",  # news
    "Now hiring: cleaners for Dubai, passports kept by the company during the contract",
    # a story dated by its year, whose "now" tells of a present that is fine
    "в 2019 работал на стройке без зарплаты, потом ушли с ребятами. сейчас всё норм, патент",
    "back in 2016 my boss in Doha beat me and kept my passport. i work in a hotel now",
    "dulu th 2015 paspor ditahan kapten kapal. sekarang aku jualan bakso di Tegal",
    # a warning that tells another's past case as its example
    "PSA sisters: a friend went to Oman with an unlicensed agent in 2021, her passport was "
    "taken. never give your passport to anyone",
    # an idiom whose jailer is a thing or a pet
    "aku disandera kucing, dia tidur di pangkuan dan aku ga boleh gerak",
    "my boss is killing me with these spreadsheets",
    # the writer's own hyperbole, an irony face, a book, a story with its happy end
    "убить готов этого кота, опять порвал шторы",
    "помогите, меня закрыли на балконе, жена смеётся 🙃",
    "our book club is reading a novel about a girl trafficked to Europe",
    "dulu paspor aku ditahan agen, akhirnya dibalikin, sekarang aman kok",
    # a landlord keeps a deposit; a passport handed over in an offer asked about
    "pemilik kos ga mau balikin deposit aku, gimana cara nagihnya",
    "min mau tanya, tawaran kerja di saudi, paspor diserahkan ke sponsor, ini normal ga?",
    # figures of speech and tasks asked (tester round 9)
    "my boss is killing me",
    "help me pick a lunch place",
    # a warning to others that tells a case as its example
    "hati hati ibu2, lagi marak loker ke malaysia lewat fb, ujung2nya paspor ditahan dan "
    "dikurung. tolong share ke grup",
    "земляки, не ездите к бригадиру Саиду в Казани, он паспорта забирает и не платит",
    "PSA to all sisters in Qatar: my friend's agency kept her passport for a year. Know "
    "your rights and keep yours",
    # the writer only heard of it, or knows someone who got away; "tell everyone" passes
    # the warning on, it is no plea
    "aka, iltimos, vsem skajite: ne ezdite v Kazan k etomu brigadiru. on lyudey tam "
    "zapiraet i zastavlyaet rabotat besplatno. ya ot lyudey slyshal",
    "внимание, не берите работу на этой ферме, там запирают в бараках и не платят. мой "
    "знакомый еле ушёл",
    # figures of speech with «держат»; a story of running away that is over
    "меня держат за дурака на работе",
    "держат в курсе, спасибо",
    "cerita dikit ya, 2019 aku kabur dr majikan yg jahat, skrg udh nikah di kampung, bahagia",
    # locked out, not in; a task asked ("help me find work", a resignation letter); a
    # case supposed
    "aku dikunciin di luar sama temen kos krn pulang telat, sebel deh",
    "pomogite nayti rabotu v sankt peterburge na sklade ofitsialno",
    "tolong bantu aku nulis surat resign ke bos, aku udh dapet kerja baru",
    "suppose my boss dont pay salary one month, where to complain in malaysia",
    # a parent telling an offer made to a child, its terms still to come: a check
    "дочке 16, предлагают официанткой в Москву, говорят паспорт у них будет",
    # Russian in Latin letters: "i" is «и» (and), no English "I" a danger happens to
    "vnimanie, ne berite rabotu u etogo Rustama, tam pasporta zabirayut i ne platyat",
    # a song, a story being written, a game, news with its numbers; a story that is over
    "песня: «помогите мне, я совсем один» кто поёт не помню",
    "roleplay yuk: kamu jadi penculiknya, aku sanderanya. \"TOLONG LEPASKAN AKU\"",
    "Следствие: в Казани задержан хозяин цеха, где рабочих били и отбирали паспорта",
    "10 years ago my employer in Riyadh locked me in. now i am safe with my family",
    # help with a task, no danger named
    "please help me, how to send money to my mother cheapest",
    # a report read in the news, a screenplay being written, a song asked about, a tip
    "baru baca di kompas, 12 wni disekap di kamboja dipaksa jadi admin judi",
    "вчера по тв был репортаж про цеха, где у рабочих отбирают паспорта",
    "пишу сценарий про девушку, у которой отобрали паспорт, что было бы реалистично?",
    "что за песня там «помогите мне, я в западне»? не помню исполнителя",
    "writing a story for class about a nanny whose passport is taken, how could she escape",
    "saran aku catat nomor kbri di kertas juga, kalo hp diambil masih ada",
    # a mishap or a family squabble, a boss who is kind, an office's bad day
    "berantem sm adek rebutan remote, dia mukul aku pake bantal",
    "помогите, не могу найти загранпаспорт, а вылет завтра утром",
    "my employer is nice, she gave me the day off and we went to the beach",
    "начальник сегодня просто убил отчётом, помогите дожить до пятницы",
    # laughter after a "not": "ga daftar wkwkwk" laughs at not having signed up
    "aku dijual sama temen sendiri, disuruh jd seksi konsumsi padahal ga daftar wkwkwk",
    # a loanword the Russian dictionary knows ("algoritma") makes no Russian message
    "di aplikasi ga aktif si tombol algoritma2 nya, ga ngerti",
]
# ... and the same words when it goes on: a "now" with danger after it, "still", "since".
ONGOING = [
    "tahun 2023 aku berangkat ke Riyadh, sekarang aku masih dikurung majikan",
    "с 2023 работаю на складе, паспорт забрали и до сих пор не отдают",
    "i came in 2022, now they took my passport and i cannot leave the house",
    "dulu aku dipukul majikan, sekarang dia ngunci aku di kamar",
    "bln lalu aku berangkat kerja admin ke thailand. skrg malah di myanmar disuruh scam, yg "
    "nolak disetrum",  # "scam" warns, but she is there now
]


@pytest.mark.parametrize(("sentence", "kind", "quoted"), DISTRESS)
def test_distress_is_named_with_its_evidence(detector: DistressDetector, sentence: str,
                                             kind: str, quoted: str) -> None:
    found = detector.detect(sentence)
    assert found is not None, sentence
    assert kind in found.classes, (sentence, found)
    assert any(quoted.lower() in e.lower() for e in found.evidence), (sentence, found)
    assert all(e in " ".join(sentence.split()) for e in found.evidence)  # original spelling


@pytest.mark.parametrize("cry", CRIES)
def test_a_bare_cry_for_help_is_distress(detector: DistressDetector, cry: str) -> None:
    found = detector.detect(cry)
    assert found is not None and "cry_for_help" in found.classes, cry


@pytest.mark.parametrize("sentence", EARNEST)
def test_a_joke_the_writer_says_is_none_does_not_cancel_the_danger(
        detector: DistressDetector, sentence: str) -> None:
    assert detector.detect(sentence) is not None, sentence
    plain = sentence.replace("tp serius, ", "").replace("not joking, ", "").replace(
        "без шуток, ", "")
    assert detector.detect(plain) is None, plain  # without it, the joke still cancels


@pytest.mark.parametrize("sentence", ONGOING)
def test_a_dated_story_that_goes_on_is_distress(detector: DistressDetector,
                                                sentence: str) -> None:
    assert detector.detect(sentence) is not None, sentence


@pytest.mark.parametrize("sentence", LOOKALIKES)
def test_look_alikes_raise_no_alarm(detector: DistressDetector, sentence: str) -> None:
    assert detector.detect(sentence) is None, sentence


def test_a_child_is_noticed(detector: DistressDetector) -> None:
    found = detector.detect("anak saya dibawa calo ke Batam, sekarang hpnya tidak aktif")
    assert found is not None and found.child


# -- figures on the labelled sets (regression floors; targets and figures in the README) -----

def _rates(detector: DistressDetector, name: str) -> tuple[float, float]:
    with (DATA / f"distress_{name}.yaml").open(encoding="utf-8") as fh:
        cases = yaml.safe_load(fh)
    said = [(c["distress"], detector.detect(c["text"]) is not None) for c in cases]
    pos = [s for d, s in said if d]
    neg = [s for d, s in said if not d]
    return sum(pos) / len(pos), sum(neg) / len(neg)


@pytest.mark.parametrize(("name", "recall", "false_alarms"), [
    ("cases", 0.99, 0.0), ("holdout", 0.99, 0.0), ("final", 0.99, 0.0),
    ("eval", 0.99, 0.0), ("test", 0.969, 0.0), ("train4", 0.99, 0.007),
    # Written after all tuning and read once, never tuned on (README, "A person in danger"):
    # the figures for wording nobody tuning here had seen. fresh: 0.752 / 0.074 at its first
    # reading, 0.848 / 0.081 after the second round, 0.855 / 0.067 after the third; unseen2
    # 0.983 / 0.056 when the second round froze, 0.975 / 0.056 after the third; unseen3,
    # written by another writer from the classes at the start of the third round and read
    # only before and after it: 0.940 / 0.084, then 0.957 / 0.063.
    # train5, written by another writer as training data: training on it lowered recall on
    # the held-out sets, so it is read as one more unseen set (README).
    # The fourth round tuned on train6 and train7 (other writers, training sets); unseen4
    # (written before it) and unseen5 (after it) were only measured: 0.977 / 0.130 ->
    # 0.977 / 0.120 and 0.980 / 0.110 -> 0.980 / 0.080. An apostrophe inside a word ("I'm",
    # "can't") stopped being read as a quotation: fresh 0.855 / 0.067 -> 0.861 / 0.074.
    ("fresh", 0.86, 0.075), ("unseen2", 0.974, 0.056), ("unseen3", 0.95, 0.05),
    ("train5", 0.94, 0.094), ("train6", 0.91, 0.061), ("train7", 0.91, 0.079),
    ("unseen4", 0.97, 0.094), ("unseen5", 0.975, 0.071),
    # The fifth round tuned on train8 (another writer, weighted to warnings and stories):
    # unseen6, written before it and only measured, 0.950 / 0.120 -> 0.950 / 0.090; unseen4
    # 0.977 / 0.120 -> 0.093, unseen5 0.980 / 0.080 -> 0.070, unseen3 0.056 -> 0.049; train8
    # 0.983 / 0.206 -> 0.983 / 0.078.
    ("train8", 0.98, 0.079), ("unseen6", 0.95, 0.09),
    # The sixth round tuned on train9 (another writer): 0.953 / 0.100 -> 0.973 / 0.053;
    # unseen7, written before it and only measured, 1.000 / 0.080 before and after.
    ("train9", 0.97, 0.054), ("unseen7", 0.99, 0.08), ("unseen3", 0.95, 0.043),
    # unseen8, written in the middle of the round and only measured: 0.980 / 0.080 at the
    # round's start and now (a bare «не платит» had cost it a false alarm).
    ("unseen8", 0.98, 0.07),
    # The eighth round tuned on train10 (300, 60% look-alikes): 0.900 / 0.072 -> 0.958 /
    # 0.033. unseen9, written before it and only measured: 0.920 / 0.100 -> 0.920 / 0.080;
    # unseen4 0.093 -> 0.065, unseen5 0.070 -> 0.060, unseen6 0.090 -> 0.080.
    ("train10", 0.95, 0.034), ("unseen9", 0.92, 0.08), ("unseen4", 0.97, 0.066),
    ("unseen5", 0.99, 0.06), ("unseen6", 0.95, 0.08), ("train9", 0.97, 0.047),
    # The ninth round: a warning to others that tells a case as its example is none, and
    # in a Russian message typed in Latin letters "i" is «и», not "I". No recall lost on any
    # set; false alarms train8 0.072 -> 0.044, train9 0.047 -> 0.027, fresh 0.067 -> 0.052;
    # measured only: unseen4 0.065 -> 0.056, unseen7 0.080 -> 0.070, unseen9 0.080 -> 0.070.
    ("train8", 0.99, 0.045), ("train9", 0.97, 0.027), ("fresh", 0.86, 0.053),
    ("unseen4", 0.97, 0.057), ("unseen7", 0.99, 0.07), ("unseen9", 0.92, 0.07),
    ("train7", 0.91, 0.062), ("train5", 0.94, 0.074), ("unseen3", 0.95, 0.035),
    ("unseen7", 0.99, 0.06),
    # unseen10, written by another writer while the ninth round went on, only measured:
    # 0.878 / 0.127 with the code the round started from.
    ("unseen10", 0.88, 0.11),
    # The ninth round tuned on train11 (300, two thirds look-alikes, by another writer):
    # 0.950 / 0.105 -> 0.970 / 0.030; no set lost a detection.
    ("train11", 0.97, 0.03), ("train5", 0.94, 0.06), ("train9", 0.97, 0.02),
])
def test_figures_on_the_labelled_sets(detector: DistressDetector, name: str, recall: float,
                                      false_alarms: float) -> None:
    got_recall, got_false = _rates(detector, name)
    assert got_recall >= recall and got_false <= false_alarms, (name, got_recall, got_false)


# -- the answer, through the engine ---------------------------------------------------------

def rendered(result: Result, lang: str) -> list[str]:
    return [RENDER.parts(r.parts, lang) for r in result.replies]


def test_a_cry_gets_emergency_numbers_first_never_i_do_not_understand(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text("tolong saya dikurung majikan"))
    (reply,) = result.replies
    assert first_line_has_number(reply)
    said = rendered(result, "id")[0]
    first = said.split("\n")[0]
    assert "112" in first and "Indonesia" in first  # the language's countries, from the data
    assert "I did not understand" not in " ".join(msgids(result.replies))


def test_the_engine_reads_the_place_in_a_distress_message(engine: Engine) -> None:
    # The place is the gazetteer's reading of the sentence (the detector does not look for it).
    result = engine.handle(Conversation(lang="en"), text(
        "my daughter was taken by a broker to Batam, now her phone is off"))
    assert first_line_has_number(result.replies[0])
    # The daughter is in Batam; her mother may be anywhere: Indonesia's numbers first, then
    # those of the countries the mother may be in, and the conversation does not take the
    # daughter's country as the mother's.
    first = rendered(result, "en")[0].split("\n")[0]
    assert first.startswith("Emergency: Indonesia: 112, 110 · ")
    assert result.conversation.country == ""


def test_a_relatives_place_is_not_the_writers_country(engine: Engine) -> None:
    at_home = Conversation(lang="id", country="ID")
    result = engine.handle(at_home, text("adik saya dikurung majikan di Riyadh, tolong"))
    assert result.conversation.country == "ID"  # the writer is still at home
    said = rendered(result, "id")[0]
    assert "KBRI Riyadh" in said  # the sister's nearest help, for an Indonesian
    assert said.count("KBRI Riyadh") == 1  # listed once, not under two headings
    mine = engine.handle(at_home, text("saya dikurung majikan di Riyadh, tolong"))
    assert mine.conversation.country == "SA"  # she is there herself


def test_a_child_taken_from_home_gets_the_child_line_at_home_first(engine: Engine) -> None:
    """"adikku" is the writer's sister (KIN and SELF in one word), 14 is a child, and the
    place she is taken from is where the writer is: both countries' numbers, home's child
    line first, whatever the language the writer was greeted in."""
    result = engine.handle(Conversation(lang="en"), text(
        "tolong kak, adikku umur 14 dibawa calo dari wonosobo, katanya mau dipekerjakan di "
        "malaysia, hpnya gak aktif"))
    said = rendered(result, "id")[0]
    first = said.splitlines()[0]
    assert "Malaysia: 999" in first and "Indonesia: 112" in first
    assert said.index("SAPA") < said.index("Talian Kasih")
    assert result.conversation.country != "MY"  # the writer is not in Malaysia


def test_a_mother_at_home_gets_both_countries_and_keeps_her_own(engine: Engine) -> None:
    """«я в Бишкеке. дочь в Дубае заперли…»: the daughter's numbers and the mother's, the 189
    line at home, and the conversation keeps Kyrgyzstan (tester round 10)."""
    result = engine.handle(Conversation(lang="ru"), text(
        "я в Бишкеке. дочь в Дубае заперли в квартире, паспорт забрали"))
    first = rendered(result, "ru")[0].splitlines()[0]
    assert "ОАЭ: 999" in first and "Киргизия: 102" in first
    assert result.conversation.country == "KG"


@pytest.mark.parametrize(("said", "child"), [
    ("tolong, anakku umur 15 dikurung majikan", True), ("ей 16 лет, её увезли в Дубай", True),
    ("my sister is 15 years old and they took her passport", True),
    ("aku udah kerja 14 tahun, tapi sekarang dikurung majikan", False),
    # An age closing its clause, and the English and Indonesian ways of saying it
    ("соседка увозит мою дочь в Москву прямо сейчас, ей 14", True),
    ("agent took my brother to the boat, he is 14, they dont let him go", True),
    ("tolong adikku baru 15 th dibawa calo, hp nya dimatiin", True),
    ("tolong aku dikurung majikan, baru 3 tahun kerja disini", False),
])
def test_an_age_under_18_makes_a_child(detector: DistressDetector, said: str,
                                       child: bool) -> None:
    found = detector.detect(said)
    assert found is not None and found.child is child, (said, found)


def test_another_countrys_mission_is_not_shown_to_its_non_citizens(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "помогите, меня заперли и не выпускают, я в Эр-Рияде"))
    said = rendered(result, "ru")[0]
    assert "KBRI" not in said and "WNI" not in said  # the Indonesian embassy is not hers


def test_the_place_named_decides_the_country(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "помогите, у меня забрали паспорт и не выпускают, я в Бишкеке"))
    said = rendered(result, "ru")
    first = said[0].split("\n")[0]
    assert "102" in first and "8-800" not in said[0]  # Kyrgyzstan's numbers, not Russia's
    assert len(result.replies) == 1  # no opinion on a job offer: there is none


def test_distress_inside_an_offer_comes_first_then_the_analysis(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text(
        "Требуются официантки в Дубай, з/п от 3000$, перелёт за счёт работодателя. — по этой "
        "вакансии уехала, сейчас паспорт забрали и не выпускают"))
    first = msgids(result.replies[:1])
    assert first[0].startswith(("*Emergency:*", "I have no checked emergency number"))
    assert any(m.startswith("If you can, call now.") for m in first)
    assert any("High risk" in m for m in msgids(result.replies[1:]))


def test_distress_in_the_middle_of_a_report_then_the_report_goes_on(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="en"), command("report")).conversation
    result = engine.handle(conv, text("my sister is locked in by her boss in Johor, "
                                      "they took her phone"))
    assert first_line_has_number(result.replies[0])
    assert result.conversation.flow == "report" and len(result.replies) >= 2
    topic = find_choice(result.replies, "Trafficking or a suspicious job offer")
    assert engine.handle(result.conversation, press(topic)).conversation.flow == "report"


def test_inside_a_step_with_buttons_the_alarm_names_a_command_not_a_button(
        engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="en"), command("report")).conversation
    result = engine.handle(conv, text("help me they locked me in and took my passport"))
    alarm = result.replies[0]
    assert first_line_has_number(alarm) and not alarm.choices
    said = " ".join(msgids([alarm]))
    assert "Tap \"Find help near you\"" not in said  # no such button is shown
    assert "/contacts" in said


def test_a_cry_after_a_checked_offer_gets_the_emergency_answer_alone(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru", country="KG"), text(
        "Требуются официантки в кафе, зарплата 90000, жильё бесплатно, паспорт хранится у "
        "работодателя, выезд завтра"))
    assert checked.conversation.flow == "check"
    cry = engine.handle(checked.conversation, text("помогите меня заперли в квартире"))
    assert len(cry.replies) == 1  # not "I see no job offer here" under it
    assert msgids(cry.replies)[0].startswith("*Emergency:*")


def test_asking_for_help_with_an_offer_is_no_alarm(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="en"), text(
        "help me check this offer: waitress in Dubai, 3000 USD, agency keeps the passport"))
    assert not first_line_has_number(result.replies[0])


def test_a_parent_asking_about_an_offers_terms_gets_its_verdict(engine: Engine) -> None:
    """The passport "will" be kept: terms to come, asked about, are checked as an offer."""
    said = ("my daughter 17 got offer to work as waitress in Dubai, agent said he will keep "
            "her passport and she cant call home first 3 months. is this ok?")
    result = engine.handle(Conversation(lang="en"), text(said))
    assert not first_line_has_number(result.replies[0])
    assert "High risk." in rendered(result, "en")[0]


def test_a_report_about_someone_else_speaks_to_the_reporter(engine: Engine) -> None:
    """A volunteer reporting a neighbour is told to call for her, not to hide the chat,
    and is not asked to report what the report under way already tells."""
    started = engine.handle(Conversation(lang="id"), command("report"))
    result = engine.handle(started.conversation, text(
        "Tetangga saya kerja di Malaysia, paspornya ditahan majikan dan gajinya tidak "
        "dibayar 5 bulan"))
    ids = msgids(result.replies)
    assert first_line_has_number(result.replies[0])
    assert any(i.startswith("If they are in danger now, call these numbers for them")
               for i in ids)
    assert not any(i.startswith("If you can, call now.") for i in ids)
    assert not any(i.startswith("When you are safe, you can report") for i in ids)
    assert result.conversation.flow == "report"


def test_what_the_triage_misses_still_shows_a_number(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="en"), text("hi"))
    assert "*In danger right now?* Call now:" in msgids(result.replies)
    assert "112" in rendered(result, "en")[0]  # the language's countries, from the data


def test_the_number_under_i_did_not_understand_is_the_countrys_own(engine: Engine) -> None:
    # Tajikistan's checked number is the police's 102: no 112 written into the code.
    said = rendered(engine.handle(Conversation(lang="ru", country="TJ"), text("асдф")), "ru")[0]
    assert "102" in said and "112" not in said
    # Where the directory has nothing checked, no number at all.
    nothing = rendered(engine.handle(Conversation(lang="en", country="KH"), text("asdf")),
                       "en")[0]
    assert "Call your local emergency number" in nothing and "112" not in nothing


def test_a_city_named_in_chat_spelling_decides_the_country(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "tlg aku gk boleh keluar rumah majikan di johor bahru, hp diambil"))
    assert result.conversation.country == "MY"
    first = rendered(result, "id")[0].split("\n")[0]
    assert "999" in first  # Malaysia's emergency number, from the directory


def test_a_place_name_inside_a_sentence_is_no_misspelt_cry(detector: DistressDetector) -> None:
    # "Coblong" (a district of Bandung) is two edits from "tolong"; a capitalised name
    # inside a sentence is a name, while "Tolonh" opening a message is still a cry.
    assert detector.detect("aku tinggal di Coblong, Bandung, kerja di toko roti") is None
    # Two edits keep the first letter, so the name typed in lower case is no cry either.
    assert detector.detect("aku tinggal di coblong bandung") is None
    assert detector.detect("coblong") is None
    for cry in ("Tolonh aku", "aku di Bandung, Tolongg", "aku di Bandung TOLONGG",
                "я в Москве, Памагите", "i am in Dubai, Hlep me", "i am in Dubai HLEP ME"):
        assert detector.detect(cry) is not None, cry


def test_a_country_named_beats_a_place_of_the_same_name(engine: Engine) -> None:
    # "Cina" is also a district in Sulawesi: a woman locked in in China must not be shown
    # Indonesia's numbers as if she were at home.
    result = engine.handle(Conversation(lang="id"), text("tolong aku dikurung majikan di Cina"))
    assert result.conversation.country == "CN"
    said = rendered(result, "id")[0]
    assert "Indonesia: 112" not in said  # nothing checked in China is said so, and
    assert "+62 812 90070027" in said  # her own ministry's line for citizens abroad


class _Broken:
    """A part of the flows' data that failed to load (bot/app.py loads some in the
    background): every use raises."""

    def __getattr__(self, name: str) -> object:
        raise FileNotFoundError("data file missing")


def test_a_cry_is_answered_even_when_the_analyzer_and_the_gazetteer_failed() -> None:
    from dataclasses import replace

    from bot.app import build_deps

    deps = build_deps()
    engine = build_engine(replace(deps, analyzer=_Broken(), places=_Broken()))
    result = engine.handle(Conversation(lang="id"), text(
        "tolong saya dikurung majikan di Jakarta, hp diambil, ini lowongan kerjanya"))
    assert result.replies and first_line_has_number(result.replies[0])


def test_a_broken_detector_never_costs_a_message_its_answer() -> None:
    from dataclasses import replace

    from bot.app import build_deps

    engine = build_engine(replace(build_deps(), distress=_Broken()))
    result = engine.handle(Conversation(lang="id"), text("tolong"))
    # No triage, but never silence: what the flows say to a word they do not understand
    # carries the emergency line.
    assert result.replies and "112" in "\n".join(rendered(result, "id"))


def test_an_apostrophe_inside_a_word_quotes_nothing(detector: DistressDetector) -> None:
    # "I'm … can't" once read as a quotation, so the danger between them was "cited".
    found = detector.detect("Is it legal for an employer to lock a worker inside? I'm asking "
                            "because it is happening to me right now, they lock me since "
                            "Monday and I can't go out")
    assert found is not None and "confined" in found.classes
    assert detector.detect("the contract says 'the worker may not leave the dormitory at "
                           "night' is that normal?") is None


# -- faults found by trying the bot as its users ---------------------------------------------

@pytest.mark.parametrize(("cry", "not_there"), [
    ("tolong paspor ditahan sama majikan", "JP"),  # "sama" (by) is no Sama in Japan
    ("they took us by van at night, i dont know where i am", "TR"),  # nor "van" Van
    ("my employer took my passport and they dont let me go out. pls help", "ID"),  # "me go"
])
def test_ordinary_words_are_no_place(engine: Engine, cry: str, not_there: str) -> None:
    result = engine.handle(Conversation(lang="en"), text(cry))
    assert first_line_has_number(result.replies[0])
    assert result.conversation.known_country != not_there


def test_the_place_typed_after_the_cry_is_the_answer_to_where_are_you(engine: Engine) -> None:
    cry = engine.handle(Conversation(lang="id"), text("tolong"))
    answer = engine.handle(cry.conversation, text("aku di selangor malaysia"))
    assert answer.conversation.country == "MY"
    said = "\n".join(rendered(answer, "id"))
    assert "999" in said and "Saya tidak mengerti" not in said


def test_a_cry_is_answered_in_the_language_it_is_written_in(engine: Engine) -> None:
    started = engine.handle(Conversation(), command("start"))  # no language yet: the default
    cry = engine.handle(started.conversation, text(
        "помогите у меня забрали паспорт и не выпускают из квартиры"))
    assert cry.conversation.lang == "ru"
    assert rendered(cry, "ru")[0].startswith("Экстренные службы:")


def test_a_cry_at_the_start_of_a_text_too_long_to_check_is_still_answered(
        engine: Engine) -> None:
    long = "tolong aku dikurung majikan, paspor diambil. " + "bla " * 4000
    result = engine.handle(Conversation(lang="id"), text(long))
    assert first_line_has_number(result.replies[0])


def test_in_a_report_the_step_keeps_its_buttons_numbered_from_one(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="id"), command("report")).conversation
    result = engine.handle(conv, text("ada calo di desa kami bawa anak2 SMP kerja ke "
                                      "kalimantan, ortu dikasih uang 2jt"))
    first, *rest = result.replies
    assert first_line_has_number(first)  # children taken away now: the numbers first
    assert not first.choices  # its "find help" would be "1" and leave the report
    assert result.conversation.flow == "report" and rest and rest[-1].choices


@pytest.mark.parametrize(("cry", "lang"), [
    ("Ассалому алейкум, я в Москве, паспорт у бригадира, зарплату не дают 3 месяц, что "
     "делать брат", "ru"),
    ("bratan pomogite, ya v moskve na stroyke 3 mesyac zarplatu ne platyat, pasport zabral "
     "brigadir", "ru"),
])
def test_a_cry_that_names_pay_gets_the_emergency_answer_and_no_offer_advice(
        engine: Engine, cry: str, lang: str) -> None:
    result = engine.handle(Conversation(lang="id"), text(cry))
    assert result.conversation.lang == lang
    assert first_line_has_number(result.replies[0])
    assert not any(m.startswith("*High risk.*") or "High risk" in m
                   for m in msgids(result.replies)), msgids(result.replies)


def test_a_country_named_after_di_without_places_is_where_she_is(engine: Engine) -> None:
    # The gazetteer has no places in Cambodia: the country's name after "di" says where.
    result = engine.handle(Conversation(lang="id"), text(
        "tolong kak aku di kamboja dipaksa kerja scam online, paspor ditahan"))
    assert result.conversation.country == "KH"
    said = rendered(result, "id")[0]
    assert "Indonesia: 112" not in said.split("\n")[0]  # not Indonesia's numbers as hers
    assert "+62 812 90070027" in said  # her own ministry's line for citizens abroad


def test_a_country_named_elsewhere_in_the_text_is_not_where_she_is(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "tolong agen dari Kamboja bawa aku, paspor ditahan, gak boleh keluar"))
    assert result.conversation.known_country != "KH"


def test_a_nationality_does_not_cancel_the_place_she_names(engine: Engine) -> None:
    # "filipina" names the Philippines, but as who she is, not where: Hong Kong stands.
    result = engine.handle(Conversation(lang="en"), text(
        "im filipina domestic helper here in hongkong, my employer took my passport and "
        "they dont let me go out"))
    assert result.conversation.country == "HK"


# -- after the emergency answer: the same crisis ---------------------------------------------


def _after_a_cry(engine: Engine, lang: str, cry: str, country: str = "") -> Conversation:
    result = engine.handle(Conversation(lang=lang, country=country), text(cry))
    assert first_line_has_number(result.replies[0])
    return result.conversation


def test_follow_ups_of_a_crisis_get_numbers_never_i_do_not_understand(engine: Engine) -> None:
    conv = _after_a_cry(engine, "id", "tolong saya dikurung majikan")
    # The place she types is where she is: Saudi Arabia's numbers and her embassy there.
    placed = engine.handle(conv, text("aku di riyadh, daerah al olaya"))
    assert placed.conversation.country == "SA"
    said = rendered(placed, "id")[0]
    assert said.startswith("Darurat: 911") and "KBRI Riyadh" in said
    # A question for a number, and where the agency sent her from: the numbers again, for
    # where she is (Lombok is where she came from).
    for follow_up in ("nomor kbri brp kak? bisa wa aja ga",
                      "sudah 7 bulan disini, agensi PT Sinar Jaya Abadi yg berangkatin dari "
                      "lombok"):
        result = engine.handle(placed.conversation, text(follow_up))
        assert result.conversation.country == "SA", follow_up
        assert "I did not understand" not in " ".join(msgids(result.replies))
        assert "I did not find warning signs in this text." not in " ".join(
            msgids(result.replies))
        assert "KBRI Riyadh" in rendered(result, "id")[0], follow_up
    # Thanks end the crisis kindly; the next text is read as usual again.
    thanks = engine.handle(placed.conversation, text("makasih kak"))
    assert "Take care. If you need help again, write here at any time." in msgids(
        thanks.replies)
    assert not thanks.conversation.data


def test_an_advert_pasted_after_a_cry_is_still_checked(engine: Engine) -> None:
    conv = _after_a_cry(engine, "ru", "помогите меня заперли", country="RU")
    result = engine.handle(conv, text(
        "Требуются девушки 18-25 официантки в Дубай, зп от 2500$, билет за счёт компании, "
        "потом вычтем из зарплаты, паспорт сдаёте координатору. Пишите в WhatsApp"))
    assert result.conversation.flow == "check" or any(
        "High risk" in m for m in msgids(result.replies))


def test_ordinary_russian_and_javanese_words_are_no_places(engine: Engine) -> None:
    # «мы 12» is no Sabah (MY-12), «моей» no Moscow Oblast («МО»), "kulo" (I) no Kulo.
    in_russia = engine.handle(Conversation(lang="ru", country="RU"), text(
        "мы 12 человек в вагончик живем, выходить нелзя охрана стоит"))
    assert in_russia.conversation.country == "RU"
    assert "999" not in rendered(in_russia, "ru")[0]
    mother = engine.handle(Conversation(lang="ru"), text(
        "помогите, мою сестру держат взаперти и не выпускают"))
    assert "8-800" not in rendered(mother, "ru")[0]  # Russia's lines only for people in Russia
    grandmother = engine.handle(Conversation(lang="id"), text(
        "tulung mas, putune kulo dikunci majikan, mboten saged medal"))
    assert "Tulung" not in rendered(grandmother, "id")[0]


def test_a_family_at_home_gets_its_own_numbers_with_the_childs(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "tolong pak anak saya umur 15 dibawa calo ke malaysia, skrg ga bisa dihubungi, "
        "paspornya dipegang agen"))
    said = rendered(result, "id")[0]
    assert said.split("\n")[0].startswith("Darurat: Malaysia: 999")
    assert "Indonesia: 112" in said.split("\n")[0]
    assert "SAPA" in said  # the father calls from Indonesia
    assert result.conversation.country == ""  # the child's country is not the father's


def test_unpaid_wages_are_distress_in_every_language(detector: DistressDetector) -> None:
    for cry in ("my employer not paying my salary 3 months, what can i do",
                "gaji 4 bulan blm dibayar kak",
                "3 месяц денги не дал, говорит долг за дорога и жилье"):
        assert detector.detect(cry) is not None, cry
    assert detector.detect("is it legal if employer not paying my salary on time?") is None


def test_a_first_greeting_sets_its_language(engine: Engine) -> None:
    assert engine.handle(Conversation(), text("hi")).conversation.lang == "en"
    assert engine.handle(Conversation(), text("привет")).conversation.lang == "ru"
    assert engine.handle(Conversation(), text("halo kak")).conversation.lang == "id"


# -- first contact: a cry's language, a greeting's, a worker's place (tester round 9) ------

@pytest.mark.parametrize("cry", ["pomogite", "brat pomogi pojalusta"])
def test_a_first_cry_in_latin_letters_is_answered_in_russian(engine: Engine, cry: str) -> None:
    result = engine.handle(Conversation(), text(cry))
    assert result.conversation.lang == "ru"
    first = rendered(result, "ru")[0].split("\n")[0]
    assert first.startswith("Экстренные службы") and "112" in first


@pytest.mark.parametrize(("greeting", "lang"), [
    ("salom", "ru"), ("assalomu alaykum", "ru"), ("hi po", "en"), ("sugeng ndalu", "id")])
def test_a_greeting_alone_gets_the_welcome_in_its_language(engine: Engine, greeting: str,
                                                          lang: str) -> None:
    result = engine.handle(Conversation(), text(greeting))
    assert result.conversation.lang == lang
    assert not any("did not understand" in m for m in msgids(result.replies))


def test_a_worker_whose_boss_keeps_the_passports_gets_her_countrys_numbers_first(
        engine: Engine) -> None:
    result = engine.handle(Conversation(lang="en"), text(
        "i work in a factory in penang, malaysia. boss keep our passport"))
    first = rendered(result, "en")[0].split("\n")[0]
    assert first.startswith("Emergency: 999") and "Indonesia" not in first
    assert result.conversation.country == "MY"


def test_a_district_no_entry_serves_gets_its_regions_organisations(engine: Engine) -> None:
    # Lyublino is a district of Moscow: Moscow's organisations serve it (a federal city is its
    # own region), in the crisis answer and in find help alike.
    places = engine._deps.places
    assert places is not None
    crisis = engine.handle(Conversation(lang="ru"), text(
        "бригадир паспорт забрал у всех нас, 3 месяц зарплату не платит"))
    after = engine.handle(crisis.conversation, text("я в москве, Люблино, стройка"))
    said = rendered(after, "ru")[0]
    assert "Гражданское содействие" in said
    found = places.search("Люблино")
    assert "ru-civic-assistance" in [hit.organisation.id for hit in found.hits]


def test_thanks_in_uzbek_or_tajik_end_the_crisis_kindly(engine: Engine) -> None:
    crisis = engine.handle(Conversation(lang="ru"), text("бригадир забрал паспорт, не отдаёт"))
    thanked = engine.handle(crisis.conversation, text("rahmat brat"))
    assert msgids(thanked.replies)[0].startswith("Take care")


@pytest.mark.parametrize(("said", "country"), [
    ("brat ya v Moskve rabotayu na sklade, nachalnik zabral pasport, ne otdaet", "RU"),
    ("pomogite, ya v kambodzhe, pasport zabrali ne vypuskayut", "KH"),
])
def test_a_place_in_latin_letter_russian_decides_the_country(engine: Engine, said: str,
                                                            country: str) -> None:
    result = engine.handle(Conversation(lang="ru"), text(said))
    assert result.conversation.country == country


def test_a_shophouse_is_no_russian_region(engine: Engine) -> None:
    # "ruko" (a shophouse) is "RU-KO", the Komi Republic's code, run together: it gave a
    # woman locked in a ruko in Jakarta Russia's numbers and saved Russia as her country.
    result = engine.handle(Conversation(lang="id"), text(
        "tolongin aku kak, aku di sekap di ruko daerah glodok, gak bisa keluar"))
    first = rendered(result, "id")[0].split("\n")[0]
    assert "Indonesia: 112" in first and result.conversation.country != "RU"


@pytest.mark.parametrize(("lang", "cry", "home", "away"), [
    ("id", "aku 15 th, besok mau dibawa om ke malaysia sama org gak dikenal, aku gak mau, "
           "tolong", "Indonesia: 112", "Malaysia: 999"),
    ("ru", "мне 15, завтра дядя отправляет меня с каким-то мужчиной в Дубай, я не хочу, "
           "помогите", "Россия: 112", "ОАЭ: 999"),
])
def test_a_child_to_be_taken_abroad_gets_the_numbers_of_home_first(
        engine: Engine, lang: str, cry: str, home: str, away: str) -> None:
    # The destination is not where she is: it had become her country, with only its numbers
    # (999 does not work from Kyrgyzstan). Home's first, the destination's after, and the
    # question where she is.
    result = engine.handle(Conversation(lang=lang), text(cry))
    out = rendered(result, lang)[0]
    first = out.split("\n")[0]
    assert first.index(home) < first.index(away)
    assert result.conversation.country in ("", "ZZ")
    if lang == "id":
        assert "SAPA" in out  # the child line at home


def test_an_indonesian_cry_with_no_place_gets_indonesias_own_lines(engine: Engine) -> None:
    out = rendered(engine.handle(Conversation(lang="id"), text(
        "aku dikunci majikan di rumah, hp diambil, gak boleh keluar, tolong")), "id")[0]
    assert "SAPA" in out and "KP2MI" in out


@pytest.mark.parametrize("cry", [
    "opa pasportimni olib qo'yishdi, uyga ketolmayman, urishadi",  # Uzbek, Latin letters
    "yordam bering",
    "апа көмектесіңіз, мені қамап қойды, паспортымды алып қойды",  # Kazakh
    "мені ұрады, үйден шығармайды",
    "мен Бишкектемин, кызымды алып кетишти",  # Kyrgyz: my daughter was taken
    "маро дар хона баста монданд, паспортамро гирифтанд",  # Tajik
])
def test_a_cry_in_a_central_asian_language_gets_the_numbers_in_russian(
        engine: Engine, cry: str) -> None:
    # They had got Indonesian, Indonesia's numbers, or "I see no job offer" with none.
    result = engine.handle(Conversation(), text(cry))
    assert result.conversation.lang == "ru"
    first = rendered(result, "ru")[0].split("\n")[0]
    assert first.startswith("Экстренные службы") and "Узбекистан: 112" in first


def test_where_the_directory_has_only_emergency_numbers_it_says_so(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="en"), text(
        "I am in Dubai, agency took my passport and locks me in the flat, help"))
    (reply,) = result.replies
    assert first_line_has_number(reply)  # 999 first
    said = msgids(result.replies)
    assert any(m.startswith("I have no checked helpline for {country}") for m in said)
    # Kyrgyzstan has its lines: no such sentence there
    kg = msgids(engine.handle(Conversation(lang="ru"), text(
        "помогите, я в Бишкеке, паспорт забрали и не выпускают")).replies)
    assert not any(m.startswith("I have no checked helpline") for m in kg)


@pytest.mark.parametrize("cry", ["Көмек керек", "Жардам керек", "Мага жардам керек, камап салышты",
                                 "помогите, я в бане работаю, не выпускают"])
def test_a_word_of_the_cry_is_never_a_place_abroad(engine: Engine, cry: str) -> None:
    # «керек» (need) had been Kerek in East Java, «в бане» (a bathhouse) Van in Türkiye
    result = engine.handle(Conversation(lang="ru"), text(cry))
    assert result.conversation.country not in ("ID", "TR")
    said = rendered(result, "ru")[0]
    assert "Kerek" not in said and "Турция" not in said.split("\n")[0]


def test_moscow_in_uzbek_latin_is_moscow(engine: Engine) -> None:
    # "Moskvada" had matched only Moskva, a village in Tajikistan: its 102 came first
    result = engine.handle(Conversation(lang="ru"), text(
        "Yordam bering, meni Moskvada qamab qo'yishdi, pasportimni olib qo'yishdi"))
    assert result.conversation.country == "RU"


def test_an_entry_is_read_the_way_a_message_is() -> None:
    # "hp" in a message is the token "handphone": an entry "hp mati" had never matched
    detector = DistressDetector({"MISSING": ["hp mati"], "KIN": ["adik"]}, {"hp": "handphone"})
    tokens = detector._tokenize("hp adik mati")
    assert not any(h.concept == "MISSING" for h in detector._hits(tokens, "hp adik mati"))
    tokens = detector._tokenize("hp mati")
    assert [h.concept for h in detector._hits(tokens, "hp mati")] == ["MISSING"]


@pytest.mark.parametrize("message", [
    "gk bs ngomong, bos lg di luar kamar", "ne mogu govorit on ryadom",
    "не могу говорить, он рядом", "cant talk he is here", "🆘", "Кӯмак лозим",
    "gabisa ngomong, dia di deket sini", "gbs ngmg skrg, dia lg di sebelah",
    "cant talk hes here"])
def test_a_cry_with_the_one_she_fears_near_is_distress(message: str) -> None:
    found = DistressDetector.load().detect(message)
    assert found is not None and not found.about_other


@pytest.mark.parametrize("message", [
    "sorry cant talk now, in a meeting", "gk bs ngomong, lagi di kelas",
    "не могу говорить, я на работе", "🆘 kuota habis", "ne mogu govorit, na parah"])
def test_being_busy_is_no_cry(message: str) -> None:
    assert DistressDetector.load().detect(message) is None


@pytest.mark.parametrize("message", [
    "я с Оша, сыну 17, зовут на стройку в Екатеринбург, паспорт заберут",
    "ya s Osha, synu 17, zovut na stroyku v Ekaterinburg, pasport zaberut"])
def test_an_offer_told_with_a_passport_to_be_taken_is_a_check(message: str) -> None:
    # «заберут» takes the passport here, not a person: the offer's terms, not a danger now
    assert DistressDetector.load().detect(message) is None


@pytest.mark.parametrize(("cry", "lang"), [
    ("aku pengen mati aja, capek kerja disini gk boleh pulang", "id"),
    ("хочу умереть, хозяин не отпускает домой", "ru"),
    ("i want to die, my boss never lets me go out", "en")])
def test_thoughts_of_ending_ones_life_are_answered_with_no_number_made_up(
        engine: Engine, cry: str, lang: str) -> None:
    result = engine.handle(Conversation(lang=lang), text(cry))
    said = msgids(result.replies)
    assert first_line_has_number(result.replies[0])
    assert any(m.startswith("You matter.") for m in said)


def test_a_joke_about_dying_before_an_exam_is_no_alarm() -> None:
    assert DistressDetector.load().detect("capek bgt ujian, pengen mati wkwk") is None


def test_a_cry_in_a_lesson_or_the_questionnaire_gets_no_rebuff_under_it(engine: Engine) -> None:
    # "I cannot answer typed questions here" had followed the emergency answer in a lesson
    opened = engine.handle(Conversation(lang="ru"), command("learn"))
    lesson = engine.handle(opened.conversation, press(opened.replies[0].choices[0].payload))
    cried = engine.handle(lesson.conversation, text(
        "помогите меня заперли, хозяин забрал телефон, я в Сургуте"))
    assert first_line_has_number(cried.replies[0])
    assert len(cried.replies) == 1 and cried.conversation.flow != "learn"


@pytest.mark.parametrize("message", ["zhit ne hochu", "wanna kms", "жашагым келбейт",
                                     "өмір сүргім келмейді", "yashagim kelmayapti"])
def test_thoughts_of_ending_ones_life_in_more_words(message: str) -> None:
    found = DistressDetector.load().detect(message)
    assert found is not None and found.self_harm
