"""The classes of issue #13, in Indonesian, Russian and English, each from sentences written
for the class (not from any corpus): the flags raised and the words each flag quotes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.red_flags import Analyzer

ROOT = Path(__file__).resolve().parents[3]

# (class, text, risk, {flag: words its evidence must contain}); a low text raises no flag.
CASES: list[tuple[str, str, str, dict[str, str]]] = [
    # 1. Surface matching: correct words are never "corrected" into lexicon entries.
    ("surface", "Junior finance analyst for our Jakarta office, prepare the monthly "
                "presentation for the board.", "low", {}),
    ("surface", "Инженер сопровождения программного обеспечения, незаконченное высшее "
                "допускается, выезды к клиентам по Москве.", "low", {}),
    ("surface", "Staf administrasi keuangan, menyiapkan presentasi dan laporan bulanan, kantor "
                "di Surabaya.", "low", {}),
    # 2. Word sense from context.
    ("sense", "Бухгалтер, опыт работы главным бухгалтером от 5 лет, ведение дебиторской и "
              "кредиторской задолженности.", "low", {}),
    ("sense", "Data scientist to build a fraud model; experience hosting servers on AWS; team "
              "of five.", "low", {}),
    ("sense", "Dicari terapis pijat untuk tamu pria di kamar hotel, gaji harian.", "high",
     {"sexual_service_hint": "terapis pijat untuk tamu pria"}),
    # 3. Implicit debt.
    ("implicit debt", "The agency will lend you the fees and you pay them back from your "
                      "salary over ten months.", "high",
     {"costs_repaid_from_wages": "pay them back from your salary"}),
    ("implicit debt", "Tiket pesawat ditanggung dulu sama PT, nanti dipotong dari gaji tiap "
                      "bulan.", "high", {"costs_repaid_from_wages": "ditanggung dulu"}),
    ("implicit debt", "Дорогу оплачиваем сами, потом вычтем из зарплаты за первые два месяца.",
     "high", {"costs_repaid_from_wages": "вычтем"}),
    # 4. Stories: a broker's visit, money to the family, paid back from the child's wages.
    ("story", "Kemarin ada bapak2 dari kota datang ke rumah, ngasih uang 3 juta ke orang tua, "
              "nanti anaknya kerja di Jakarta dan uangnya dipotong dari gaji.", "high",
     {"advance_to_family_debt": "uang 3 juta", "broker_via_parents": "datang ke rumah"}),
    ("story", "A man came to my parents and gave them 400 dollars; my little sister is to pay "
              "it back from her wages at his shop in the city.", "high",
     {"advance_to_family_debt": "400 dollars", "broker_via_parents": "came to my parents"}),
    ("story", "К родителям приехал знакомый, дал им 20 тысяч, сказал, что дочка вернёт их с "
              "зарплаты в кафе в Москве.", "high",
     {"advance_to_family_debt": "20 тысяч", "broker_via_parents": "родителям приехал"}),
    # 5. Discourse: advice and questions offer no job; an offer under a warning header does.
    ("discourse", "Never hand your passport to an employer. A genuine employer will never ask "
                  "for it. Check the agency's licence before you go.", "low", {}),
    ("discourse", "Можно ли работодателю забирать паспорт? Хочу знать свои права.", "low", {}),
    ("discourse", "⚠️ PERHATIAN ⚠️ Dibutuhkan pelayan restoran di Malaysia, paspor disimpan "
                  "agen selama kontrak. Hub 0813-0000-9999", "high",
     {"document_retention": "paspor disimpan"}),
    # 6. Negation and its scope.
    ("negation", "Workers keep their own passports. No fees at any stage.", "low", {}),
    ("negation", "Из зарплаты ничего не удерживается, паспорт остаётся у вас.", "low", {}),
    ("negation", "Kerja di rumah makan, gak perlu pengalaman, umur 15 thn jg bisa.", "high",
     {"minor_targeted": "umur 15 thn"}),
    # 7. Obfuscation.
    ("obfuscation", "p a s p o r disimpan agen selama kontrak di Malaysia", "high",
     {"document_retention": "p a s p o r disimpan"}),
    ("obfuscation", "п.а.с.п.о.р.т оставляете у работодателя на время работы", "high",
     {"document_retention": "п.а.с.п.о.р.т"}),
    ("obfuscation", "rabota v Dubae, pasport ostavlyaete u rabotodatelya", "high",
     {"document_retention": "pasport ostavlyaete"}),
    # "u" is «у», not the chat "you"; "nih" is «них», not Indonesian "nih"
    ("obfuscation", "pasport ostanetsya u rabotodatelya", "high",
     {"document_retention": "pasport ostanetsya u rabotodatelya"}),
    ("obfuscation", "dochke 16 let predlagayut rabotu oficiantkoy v Moskve, pasport budet u "
     "nih", "high", {"document_retention": "pasport budet u nih"}),
    # Tester round 13: a sum paid to the sender, an advance to the parents, an escort.
    ("implicit debt", "Требуются девушки в ночной клуб в Стамбуле, аванс родителям 500$",
     "high", {"advance_to_family_debt": "аванс родителям"}),
    ("word sense", "Нужна девушка для сопровождения бизнесменов, Алматы, 1000$ в неделю",
     "high", {"sexual_service_hint": "сопровождения бизнесменов"}),
    # 8. Good signs that are not.
    ("good signs", "Makan gratis dan mess gratis, tapi dipotong dari gaji 500rb per bulan.",
     "high", {"costs_repaid_from_wages": "dipotong"}),
    ("good signs", "Free ticket to Dubai, the cost is deducted from your first salary.", "high",
     {"costs_repaid_from_wages": "deducted"}),
    # 9. Evidence: one phrase, one flag.
    ("evidence", "Kerja di Malaysia tanpa paspor, lewat jalur laut.", "high",
     {"irregular_route": "tanpa paspor"}),
    # Second round (issue #13): implicit debt said other ways.
    ("implicit debt", "Tiket dan visa ditanggung agensi, tapi 4 bulan pertama kamu tidak "
                      "digaji dulu.", "high", {"costs_repaid_from_wages": "tidak digaji"}),
    ("implicit debt", "Форму и медкнижку выдаём сразу, их стоимость потом спишем с первых "
                      "выплат.", "high", {"costs_repaid_from_wages": "спишем"}),
    ("implicit debt", "We pay your flight; you just work the first two months to pay it off.",
     "high", {"costs_repaid_from_wages": "pay it off"}),
    # The same money is one flag: handed to the family and taken back is the advance.
    ("story", "Ibunya sudah dikasih 2 juta duluan, nanti dipotong dari gaji anaknya.", "high",
     {"advance_to_family_debt": "dikasih 2 juta"}),
    ("story", "В село приехал человек, уговаривал родителей отпустить девочек после 9 класса "
              "на работу в город.", "high", {"broker_via_parents": "приехал человек"}),
    # Warnings: a specific offer is labelled by that offer; signs in general stay low.
    ("discourse", "Осторожно! В группе ходит вакансия: няня в Дубай, 4000$ в месяц, паспорт "
                  "сдать агенту.", "high", {"document_retention": "паспорт сдать"}),
    ("discourse", "Hati-hati ya, kalau ada yang minta paspor dititipkan, jangan mau. Lapor ke "
                  "kantor desa.", "low", {}),
    ("discourse", "Red flags: 1) they keep your passport 2) you pay a fee first 3) no contract "
                  "before you go.", "low", {}),
    ("discourse", "SCAM ALERT! We are legit: kitchen helpers for a diner, age 15 ok, start "
                  "Monday.", "high", {"minor_targeted": "15"}),
    ("discourse", "Kak, normal gak sih agensi minta paspor dipegang? Belum ada tawaran kerja, "
                  "cuma nanya.", "low", {}),
    # Negation spreads over "or".
    ("negation", "We will never ask you to pay money or hand over your passport. Warehouse "
                 "packer, Tesco, Leeds.", "low", {}),
    # Obfuscated ages, and ages said the way people say them.
    ("obfuscation", "Dicari pelayan warung, u.m.u.r 1.5 boleh, langsung kerja.", "high",
     {"minor_targeted": "1.5"}),
    ("ages", "Дочке 15, ей предложили работу официанткой в кафе.", "high",
     {"minor_targeted": "15"}),
    ("ages", "Packers wanted at a fruit farm, 16+ ok, cash weekly.", "high",
     {"minor_targeted": "16"}),
    # Word sense: lawful youth programmes, trade secrets, airline hostesses.
    ("sense", "Customer service apprenticeship under NAS, 16-18 year olds, paid training.",
     "low", {}),
    ("sense", "Системный администратор, соблюдение коммерческой тайны, офис в Казани.", "low",
     {}),
    ("sense", "Cabin crew and air hostesses for an airline, apply on the careers page.", "low",
     {}),
    # Ages told as years of birth (read as in 2026, tests/conftest.py), or as boys of an
    # age "for" a job; a school level beside an adult age is schooling, not a child.
    ("ages", "Dicari SPG pameran, cewek kelahiran 2010-2011 boleh ikut, bayaran harian.",
     "high", {"minor_targeted": "kelahiran 2010-2011"}),
    ("ages", "Набираем девушек 2009 г.р. на фасовку, оплата каждый день.", "high",
     {"minor_targeted": "2009"}),
    ("ages", "Deckhands wanted, boys 15-16 years for a fishing boat, six months at sea.",
     "high", {"minor_targeted": "15"}),
    ("ages", "Calo bilang ke bapak, anaknya yang 14 tahun kerja di kebun sawit aja, dibayar "
             "bulanan.", "high", {"minor_targeted": "14"}),
    ("ages", "Моей сестре Айгерим 16 лет, ей предлагают работу официанткой в кафе в Казани.",
     "high", {"minor_targeted": "16"}),
    ("ages", "A man offers her a job in a bar in the city. She is 15.", "high",
     {"minor_targeted": "15"}),
    ("ages", "Tukang batu untuk proyek gedung, usia 22-45 tahun, tamatan SD boleh, upah "
             "harian sesuai UMK.", "low", {}),
    ("ages", "Seasonal job for grade 8 students packing fruit at a farm, cash daily.",
     "high", {"minor_targeted": "grade 8"}),
    # Negation in English: "no" negates (PyYAML once read it as a boolean).
    ("negation", "Welders for a shipyard in Ulsan, the company pays the flights, nothing is "
                 "deducted and there is no repayment.", "low", {}),
    # Pay judged by the job's own going rate: a home caregiver in Taiwan earns NT$20,000.
    ("pay", "Lowongan perawat jompo di Taiwan, gaji NT$ 45.000 per bulan, berangkat bulan "
            "depan.", "medium", {"unrealistic_pay": "NT$ 45.000"}),
    # Word sense: a companion to the old, an escort on duty; companionship at yacht parties.
    ("sense", "Ищем сиделку-компаньонку к пожилому мужчине: прогулки, лекарства, договор, "
              "оплата 60 000 в месяц.", "low", {}),
    ("sense", "Security escort for contractors inside our data centre, security clearance "
              "required, shift allowance.", "low", {}),
    ("sense", "Девушки на сопровождение на мероприятиях и яхтах в Дубае, модельная внешность, "
              "высокий доход.", "high", {"sexual_service_hint": "сопровождение на мероприятиях"}),
    # A brand before the workplace names the employer ("the Foxconn factory"); a company
    # with its legal form ("Food Systems Co.") too; an acronym does not ("SPG toko").
    ("employer", "Line workers for the Foxconn factory in Penang, work permit and contract "
                 "before travel, no agent fee.", "low", {}),
    ("employer", "Dicari SPG toko elektronik di Bekasi, gaji UMR, kirim lamaran.", "medium",
     {"vague_job_lure": "toko"}),
    # A warning that says what no employer may do offers nothing.
    ("discourse", "Помните: работодатель не имеет права забирать ваш паспорт. Если забрали, "
                  "звоните на горячую линию.", "low", {}),
    # Russian in Latin letters with chat spellings: a left-out soft sign, "u" for «у».
    ("obfuscation", "rabota na stroyke v Kazani, doroga za nash schet, potom vychtem iz "
                    "zarplaty. pasport budet u brigadira chtob ne poteryali", "high",
     {"document_retention": "pasport budet u brigadira"}),
    # Pay too good for a job that asks for nothing: the lower bar of wages.yaml.
    ("pay", "Loker pabrik kerupuk di Tangerang, gaji 7,5 juta, tanpa pengalaman, lulusan SD "
            "boleh, mess gratis.", "high", {"unrealistic_pay": "7,5 juta"}),
    ("pay", "Operator produksi PT Sinar Logam, Cikarang, gaji 7,5 juta, pengalaman min 2 tahun "
            "di bidang yang sama, lulusan SMK.", "low", {}),
    # Gifts that bind: money to the parents with nothing to repay.
    ("gifts", "Приехал знакомый, родителям даёт по 5000 сомов и зовёт сына работать в Россию.",
     "high", {"gifts_grooming": "даёт по 5000"}),
    # Pressure: a count of places left, in that order, and leaving within days; "two people
    # wanted" and "left the place" are neither.
    ("urgency", "Вакансия грузчика на склад в Подмосковье, осталось 2 места, выезд послезавтра.",
     "medium", {"pressure_urgency": "осталось 2 места"}),
    ("urgency", "Kerja pabrik roti di Batam, gaji UMK, berangkat 3 hari lagi.", "medium",
     {"pressure_urgency": "berangkat 3 hari lagi"}),
    ("urgency", "Caregiver jobs in Poland, pay the registration now, 5 slots remaining.",
     "medium", {"pressure_urgency": "5 slots remaining"}),
    ("urgency", "Dibutuhkan hanya 2 orang admin gudang PT Maju Jaya di Bekasi, lulusan SMA.",
     "low", {}),
    ("urgency", "I left the place where I worked as a cook last year; looking for a job in a "
                "hotel.", "low", {}),
    # Javanese words read as their Indonesian equivalents ("dicekel", held; "budhal", leave).
    ("obfuscation", "Mbak, nek gelem melu aku kerjo nang Arab ngurusi omah, budhal nganggo visa "
                    "umroh wae, paspor engko dicekel agen.", "high",
     {"document_retention": "paspor engko dicekel", "irregular_route": "visa umroh"}),
    # Costs that come back: "minus" from the salary, work "free" to clear the ticket,
    # «рассчитаешься с первых зарплат».
    ("implicit debt", "Pabrik sarung tangan di Klang. Salary RM1,800 minus: hostel RM300, "
                      "transport RM100 every month.", "high",
     {"costs_repaid_from_wages": "minus: hostel"}),
    ("implicit debt", "Кафе в Казани, дорогу и жильё берём на себя, рассчитаешься с первых "
                      "зарплат.", "high", {"costs_repaid_from_wages": "рассчитаешься"}),
    ("implicit debt", "The boss pays your ticket and levy; you work free for the first two "
                      "months to clear it.", "high", {"costs_repaid_from_wages": "work free"}),
    ("discourse", "Reminder: it is an offence for any employer in Malaysia to keep a worker's "
                  "passport. Report it to the labour office.", "low", {}),
    # "16+" after the people wanted is an age; "a team of 15+" is not.
    ("age", "Требуются девушки 16+ в массажный салон в Сеуле, зп от 3000$", "high",
     {"minor_targeted": "девушки 16"}),
    ("age", "We are a team of 15+ engineers in Bandung, hiring a QA lead with 5 years of "
            "experience.", "low", {}),
    # Wages withheld or handed to the agency for the first months: a debt without the word.
    ("implicit debt", "Kerja di kebun sawit, semua ongkos dibiayai mandor. Gaji 3 bulan "
                      "pertama ditahan mandor buat ganti ongkos.", "high",
     {"costs_repaid_from_wages": "buat ganti ongkos"}),
    ("implicit debt", "Hotel housekeeping in Male. Your first two months of tips are retained "
                      "to cover the ticket.", "high", {"costs_repaid_from_wages": "retained"}),
    ("implicit debt", "Работа на стройке в Казани, первые две зарплаты идут агенту, потом "
                      "всё твоё.", "high", {"costs_repaid_from_wages": "идут агенту"}),
    ("implicit debt", "Rabota v Ekaterinburge, kvartiru dayom srazu, potom iz zarplaty "
                      "snimaem, poka ne otobyosh.", "high",
     {"costs_repaid_from_wages": "iz zarplaty"}),
    ("negation", "Gaji dibayar penuh tiap bulan, tidak ada yang ditahan agen, ongkos "
                 "ditanggung perusahaan.", "low", {}),
    # Passports handed over, in chat English and Russian.
    ("obfuscation", "job in Kazan warehouse, you give passport to manager first day, ok?",
     "high", {"document_retention": "give passport to"}),
    ("obfuscation", "Работа курьером, паспорт у меня побудет до конца месяца.", "high",
     {"document_retention": "у меня побудет"}),
    # A cost given on credit is a debt, without the words "deduct" or "repay".
    ("implicit debt", "Разнорабочие на стройку в Москве, 120000 в месяц, билет в долг.",
     "high", {"costs_repaid_from_wages": "билет в долг"}),
    ("implicit debt", "kerja di kebun sawit malaysia, tiket ngutang dulu ke agen", "high",
     {"costs_repaid_from_wages": "tiket ngutang"}),
    ("implicit debt", "Farm work in Poland, the ticket is a loan from the agency.", "high",
     {"costs_repaid_from_wages": "ticket is a loan"}),
    ("negation", "Cleaning service RSUD, gaji UMK, seragam dipinjamkan gratis, interview di "
                 "kantor Jl. Raya Darmo No. 70.", "low", {}),
    # A report that tells what the victims were promised retells that offer; a report of
    # arrests with no terms offers nothing.
    ("stories", "KUPANG – Polisi mengamankan 6 calon PMI di pelabuhan Tenau. Mereka "
                "dijanjikan kerja di restoran Malaysia dengan gaji Rp15 juta sebulan tanpa "
                "pengalaman, berangkat pakai visa turis.", "high",
     {"irregular_route": "visa turis", "unrealistic_pay": "Rp15 juta"}),
    ("stories", "Полиция задержала вербовщика: девушкам обещали работу официантками в "
                "Стамбуле за 3000 долларов, паспорта забирали на границе.", "high",
     {"document_retention": "паспорта забирали", "unrealistic_pay": "3000 долларов"}),
    # Evidence: the job word and the place nearest it, not a span from another place.
    ("stories", "Police in Almaty rescued 11 women who were promised waitress jobs in Dubai at "
                "4,000 USD a month; the agency kept their passports.", "high",
     {"abroad_service_job": "waitress jobs in Dubai", "document_retention": "kept their"}),
    ("discourse", "Polisi menangkap dua perekrut ilegal di Kupang, warga diimbau lewat jalur "
                  "resmi.", "low", {}),
    ("discourse", "A court sentenced two recruiters to 6 years for sending women abroad on "
                  "visit visas, police said.", "low", {}),
    # Whose passport someone keeps: the boss keeping hers is retention, she keeping hers
    # is not; being kept indoors is isolation, in chat words too.
    ("stories", "my cousin works in a nail salon in Leeds, she says the owner keeps her "
                "passport and she isn't supposed to go out alone.", "high",
     {"document_retention": "keeps her passport", "secrecy_isolation": "supposed to go out"}),
    ("negation", "Kitchen porter in a Leeds hotel, she keeps her passport herself, contract "
                 "signed before the start.", "low", {}),
    ("obfuscation", "kerja jaga toko di Depok, majikan ga ngebolehin keluar rumah.", "high",
     {"secrecy_isolation": "ngebolehin keluar"}),
    # "normal gak sih kalo…" asks whether the writer's own case is normal ("kalo" is
    # "that"); "what should I do if…" supposes one.
    ("discourse", "kak wajar gak sih kalo mandor minta HP aku dikumpulin tiap malem? aku kerja "
                  "di pabrik roti Bekasi, baru 2 minggu", "high",
     {"secrecy_isolation": "HP aku dikumpulin"}),
    ("discourse", "kalau HP saya diambil mandor nanti, saya harus gimana?", "low", {}),
    # A border crossed off the record, told as advice not to: no route offered.
    ("negation", "Kerja ke Malaysia lewat P3MI resmi, visa kerja. Makanya jgn lewat jalur "
                 "belakang gaes, ribet sendiri ntar", "low", {}),
    ("negation", "Kerja kebun di Malaysia, gaji 2000 ringgit, berangkat lewat jalur belakang "
                 "dari Nunukan.", "high", {"irregular_route": "jalur belakang"}),
    ("negation", "Magang ke Jepang resmi: daftar via SIAPkerja, seleksi di Disnaker. Jangan "
                 "ke LPK yg ga punya izin SO ya.", "low", {}),
    ("negation", "Стройка в Екатеринбурге, делаем патент за 15 000 руб сразу на карту, без "
                 "патента не возьмут.", "high", {"irregular_route": "без патента"}),
    ("stories", "My daughter is 16, she is offered waitress work in Moscow and they say the "
                "passport will be with them.", "high",
     {"document_retention": "passport will be with them", "minor_targeted": "16"}),
    # A parent retells who will hold the passport: "у них" is the recruiters.
    ("stories", "дочке 16, предлагают официанткой в Москву, говорят паспорт у них будет",
     "high", {"document_retention": "паспорт у них будет", "minor_targeted": "дочке 16"}),
    ("negation", "У них будет хорошая зарплата, паспорт оформят в миграционной службе.", "low",
     {}),
    # "Before departure" in an ad is an instruction, not advice; a checklist is advice.
    ("discourse", "Ищем моделей в Шанхай, 2500$ в месяц. Перед выездом пришлите фото в "
                  "купальнике.", "high", {"sexual_service_hint": "фото в купальнике"}),
    ("discourse", "Перед выездом: сфотографируйте паспорт, оставьте копии родным, запишите "
                  "номер консульства.", "low", {}),
    # "collective agreement" is no collecting of documents.
    ("surface", "Berry pickers in Finland, pay per the collective agreement, your passport "
                "stays with you, no fees.", "low", {}),
    ("sense", "Butuh terapis di panti pijat Batam, ada layanan tambahan buat tamu, bayaran "
              "gede.", "high", {"sexual_service_hint": "layanan tambahan"}),
    # A warning's list of signs is advice; an advert's list of terms under a warning header
    # is the advert.
    ("discourse", "Ciri-ciri lowongan palsu:\n1. Cuma lewat medsos\n2. Gaji fantastis\n"
                  "3. Pakai visa turis\nCek dulu di SISKOP2MI.", "low", {}),
    ("discourse", "Осторожно! Признаки фейковой вакансии:\n- зарплата в пять раз выше\n"
                  "- работа по туристической визе\n- паспорт забирают «на хранение»", "low", {}),
    ("discourse", "⚠️ PERHATIAN ⚠️\n✅ Kerja pabrik di Malaysia\n✅ Gaji RM 3000\n✅ Paspor "
                  "dipegang agen\nHub 0812-0000-1111", "high",
     {"document_retention": "Paspor dipegang"}),
    # The law as it is: citizens of the EAEU need no patent in Russia.
    ("discourse", "Граждане ЕАЭС работают в России без патента, нужен только трудовой "
                  "договор.", "low", {}),
    # An escort of cash vans; a copy of a passport.
    ("sense", "Escort officer for cash vans between bank branches in Jakarta, arms licence "
              "required.", "low", {}),
    ("negation", "Is it normal that HR keeps a copy of my passport? The original is with me.",
     "low", {}),
    # A child's age after a comma; an age to be lied about.
    ("age", "Bapak itu ngajak adik saya, 15 tahun, kerja di warung di Batam.", "high",
     {"minor_targeted": "15 tahun"}),
    ("age", "Kamu 16? Nanti bilang aja 18 pas interview, kerja di pabrik Batam.", "high",
     {"minor_targeted": "bilang aja 18"}),
    ("irregular", "Работа в баре в Праге, едешь по шенгену, там оформим.", "high",
     {"irregular_route": "по шенгену"}),
    # Ages as people write them: a range with "to", a copula, a class, a pronoun and "'s".
    ("age", "Need boys 16 to 18 for hotel work in Doha, visa free.", "high",
     {"minor_targeted": "boys 16"}),
    ("age", "The recruiter took two girls from our street to a laundry in Surabaya. The girls "
            "are 14 and 15.", "high", {"minor_targeted": "The girls are 14"}),
    ("age", "Вербовщик собирал девятиклассников на работу в теплицах под Краснодаром.", "high",
     {"minor_targeted": "девятиклассников"}),
    ("age", "Mama skazala, chto sponsor hochet zabrat sestrenku (ej 14) rabotat v kafe.",
     "high", {"minor_targeted": "ej 14"}),
    ("age", "An agent offered my cousin (she's 16) a nanny job.", "high",
     {"minor_targeted": "she's 16"}),
    ("age", "Our team is 15 people in Bandung, hiring a graphic designer with a portfolio.",
     "low", {}),
    # Documents and visas in ordinary lives: a holiday on a tourist visa, a worker who keeps
    # her own passport, copies for HR, the law quoted; and a club's VIP guests.
    ("discourse", "Paspor aku lagi dipake buat apply visa turis Jepang. Mau liburan liat "
                  "sakura, bukan kerja kok.", "low", {}),
    ("negation", "Mak, aku wis tekan Penang, kerja neng pabrik resmi. Paspor digawa dhewe, "
                 "permit kerja wis ono.", "low", {}),
    ("negation", "Коллеги, в понедельник сдаём копии паспортов в отдел кадров. Оригиналы "
                 "остаются у вас.", "low", {}),
    ("discourse", "Reminder: under the Passports Act no employer or agent may keep your "
                  "passport. Call the embassy if yours is held.", "low", {}),
    ("sense", "Нужны девушки в закрытый клуб для общения с VIP-гостями, главное внешность.",
     "high", {"sexual_service_hint": "клуб для общения с VIP"}),
    ("irregular", "Kerja kafe di Jepang, gaji 25jt, pakai visa wisata dulu, berangkat "
                  "rombongan.", "high", {"irregular_route": "visa wisata"}),
    # Staples brought to the family, an agency's deductions for months, a rat path over the
    # border, a diploma left as a guarantee, a Sundanese broker's visit.
    ("story", "Tiap minggu orang itu dateng bawa beras sama minyak buat emak, terus nawarin "
              "adikku kerja di kota.", "high", {"gifts_grooming": "beras"}),
    ("implicit debt", "Mau tanya, agency saya bilang nanti ada potongan gaji 6 bulan buat "
                      "biaya, itu wajar?", "high", {"costs_repaid_from_wages": "potongan gaji"}),
    ("irregular", "Kerja kebun di Sarawak, ga usah paspor, lewat jalan tikus aja nanti dijemput.",
     "high", {"irregular_route": "jalan tikus"}),
    ("implicit debt", "Operator produksi, ijazah asli wajib ditinggal di kantor selama kontrak.",
     "high", {"document_retention": "ditinggal"}),
    ("story", "Aya nu datang ka imah, nawaran budak awéwé abdi nu karék tamat SMP damel di "
              "Bandung, cenah ulah dibéjakeun ka nu sanés.", "high",
     {"minor_targeted": "tamat SMP"}),
    # Whose passport: the worker's own, or the addressee's held by the recruiter.
    ("negation", "Mas, aku aman di Singapura. Paspor aku yg pegang, hari Minggu libur.", "low",
     {}),
    ("obfuscation", "dek jd ke Hongkong? gaji HK$5.100. paspor km aku yg pegang dl ya", "high",
     {"document_retention": "paspor km aku yg pegang"}),
    ("discourse", "Оставил паспорт в сейфе в номере отеля в Кемере, хожу на пляж с копией. "
                  "Работать не собираюсь, просто отпуск.", "low", {}),
    # Reported speech is the recruiter's words, not the writer's advice; Indian numbering.
    ("story", "Hati2 bunda, kmrn ada org nawarin anakku kerja di warung. Katanya jgn bilang2 "
              "sm pak RT atau polisi.", "high", {"secrecy_isolation": "bilang2"}),
    ("upfront", "Factory jobs in Russia, salary 1 lakh per month, processing fee 3 lakh only.",
     "medium", {"upfront_fee": "fee 3 lakh"}),
    ("irregular", "Lowongan pabrik di Johor, berangkat dr Batam pake paspor pelancong aja, permit "
                  "nanti diurus bos.", "high", {"irregular_route": "paspor pelancong"}),
    # A contract "for now" absent; a parent's punishment is no confinement by an employer.
    ("irregular", "Требуются разнорабочие на стройку в Москве, без договора пока, потом "
                  "оформят.", "high", {"irregular_route": "без договора пока"}),
    ("discourse", "aku dikurung di kamar sama mama gara2 nilai jelek haha", "low", {}),
    # Abroad without a passport is an unofficial crossing (one flag for the phrase); a fee
    # named right after a sum is the fee, not pay.
    ("irregular", "Pelayan cafe di Kuala Lumpur, tdk perlu paspor dulu nanti diurus agen, "
                  "berangkat via Batam.", "high", {"irregular_route": "tdk perlu paspor"}),
    ("implicit debt", "my agency say i must pay HK$ 18,000 placement fee, they deduct 3,000 "
                      "every month from my salary", "high",
     {"costs_repaid_from_wages": "placement fee"}),
    # Ages in words; a Javanese child just out of primary school; outcall massage "plus".
    ("age", "My daughter aged fifteen years got a call for a babysitting job in Kuwait.",
     "high", {"minor_targeted": "aged fifteen"}),
    ("age", "Дочке пятнадцать лет, зовут работать официанткой в Стамбул.", "high",
     {"minor_targeted": "пятнадцать"}),
    ("story", "Sopo sing nduwe anak tamatan SD, iso kerjo neng pabrik sandal neng Surabaya.",
     "high", {"minor_targeted": "tamatan SD"}),
    ("sense", "cari terapis pijat panggilan, wanita, yg bisa plus dapetnya lebih banyak", "high",
     {"sexual_service_hint": "pijat panggilan"}),
    # A Javanese father's retold visit, in krama words (arto, ngekeki, tiyang, griyo).
    ("story", "kulo bapake Sri, wingi enten tiyang saking Jakarta dateng griyo, ngekeki arto 2 "
              "juta, jarene anakku arep dadi pembantu, mengko utange dipotong saka gaji", "high",
     {"advance_to_family_debt": "arto"}),
    # A daughter's wage is no money handed to her family; money lent to the parents is.
    ("story", "Мой брат работает у бригадира, который закрыл кредит наших родителей, 80 тысяч, "
              "теперь брат отрабатывает.", "high", {"advance_to_family_debt": "кредит"}),
    # A tourist visa for the writer's own holiday is no irregular route; a tourist visa with
    # a line to say at the border is one, whatever the trip is called.
    ("discourse", "Visa turis Jepang aku udah approve! Mau liburan liat sakura sama suami, "
                  "bukan kerja kok, pulang tgl 12.", "low", {}),
    ("discourse", "Tourist visa to Korea approved, two weeks on holiday in Busan with my "
                  "parents, flights booked through the airline.", "low", {}),
    ("discourse", "Шенгенскую визу дали, летим в отпуск в Барселону, паспорт буду держать "
                  "в сейфе отеля.", "low", {}),
    ("irregular", "Kerja di restoran Kuala Lumpur gaji 6jt, berangkat pakai visa turis, di "
                  "bandara bilang aja mau liburan.", "high",
     {"irregular_route": "visa turis"}),
    ("irregular", "Работа в кафе в Стамбуле, 900$, едешь по туристической визе, на границе "
                  "скажешь что на отдых.", "high", {"irregular_route": "туристической"}),
    # Generic advice with a law or a rule, and a consulate's notice: no offer to judge.
    ("discourse", "FYI for jobseekers: a real employer will never ask you to pay for a job or "
                  "keep your passport. When in doubt, call the embassy.", "low", {}),
    ("discourse", "Напоминаем: удержание чужого паспорта является отягчающим признаком по "
                  "ст. 127.1 УК РФ. Никакая работа не требует отдавать паспорт.", "low", {}),
    ("discourse", "Info KBRI: WNI pemegang visa kunjungan dilarang bekerja di Malaysia, berisiko "
                  "ditahan dan dideportasi. Laporkan tawaran mencurigakan ke hotline KBRI.",
     "low", {}),
    # Someone's own wish to work that nobody has offered: a question, not an offer to a child.
    ("discourse", "Mau tanya bun, anak sy 16 th pengen kerja part time di cafe pas liburan, "
                  "boleh gk ya?", "low", {}),
    ("discourse", "Сыну 17, хочу чтобы он поехал работать в Корею по EPS после школы. С какого "
                  "возраста можно?", "low", {}),
    # ... but a broker who approaches the child is an offer.
    ("age", "Anak sy 15 th pengen kerja, kemarin ada calo nawarin kerja di Batam, gaji 4jt, "
            "paspor diurus dia.", "high", {"minor_targeted": "15 th"}),
    # A denial governs the list that follows it in its sentence.
    ("discourse", "Remember: a real employer will never charge you a fee, keep your passport, "
                  "or ask you to travel on a tourist visa.", "low", {}),
    # Teen ages in words of Indonesian, Sundanese and Javanese.
    ("age", "Dicari pelayan karaoke di Batam, umur lima belas tahun juga boleh.", "high",
     {"minor_targeted": "lima belas"}),
    ("age", "Aya lowongan di Batam kanggo budak nu yuswana tujuh welas taun, jaga toko.",
     "high", {"minor_targeted": "tujuh welas"}),
    ("age", "lowongan kerjo neng pabrik, umur limolas taun wis oleh melu", "high",
     {"minor_targeted": "limolas"}),
    # A Sundanese broker: costs taken back from the wage.
    ("implicit debt", "Abdi nu ngurus sadayana, teu kedah mayar nanaon, engke dipotong tina "
                      "gajihna unggal bulan.", "high",
     {"costs_repaid_from_wages": "dipotong tina gajihna"}),
    # Russian in Latin letters with the soft sign typed as an apostrophe.
    ("implicit debt", "rabota na sklade v Kazani, pervye dva mesyaca zp men'she na 15 tys, eto "
                      "za obuchenie", "high", {"costs_repaid_from_wages": "men'she"}),
    # Posing as a tourist at the border.
    ("irregular", "Cleaners for Dubai hotels, we fly via Kuala Lumpur, pretend to be a tourist "
                  "at immigration, visa later.", "high",
     {"irregular_route": "pretend to be a tourist"}),
    # Escorting as ordinary work; the children a job serves; minutes are no age.
    ("sense", "Passenger Assistant (school bus escort) for the county council, helping "
              "children on and off the minibus, DBS check paid by us, £12.85/hr.", "low", {}),
    ("sense", "Children's library assistant: story time for kids aged 5-12, shelving, 25 "
              "hrs/week, must be 18 or over.", "low", {}),
    ("sense", "Supermarket cashiers wanted, S$2,100, I applied online and the interview was "
              "just 15 min, no fees.", "low", {}),
    ("sense", "Dibutuhkan ART utk keluarga Ibu Sari di Depok (suami istri + 2 anak SD), gaji "
              "3 jt, libur tiap Minggu, kamar sendiri, HP pegang sendiri.", "low", {}),
    ("implicit debt", "Your train fare to the interview will be paid back in full on the day, "
                      "just bring the ticket. No costs to you at any stage.", "low", {}),
    # Passports collected "for registration", a hostess who must drink with the guests.
    ("documents", "Грузчики на склад, 3000 за смену, жильё есть. При заселении паспорта "
                  "сдаёте в офис для учёта, вернём при увольнении.", "high",
     {"document_retention": "паспорта сдаёте"}),
    ("documents", "Kerja kebun sawit di Sabah, gaji harian RM60. Sampai sana paspor dikumpul "
                  "ke mandor sampai kontrak habis.", "high",
     {"document_retention": "paspor dikumpul"}),
    ("sense", "Bar di Jakarta cari pramusaji cewek, gaji 4 jt + komisi, harus mau duduk & "
              "minum bareng tamu.", "high", {"sexual_service_hint": "minum bareng tamu"}),
    # UK pay at the living wage is no lure; "+ shift allowance" is no pay by the shift.
    ("pay", "Data centre security officer, £33k + shift allowance, SIA licence, DBS vetting.",
     "low", {}),
    ("age", "Vegetable packers in Lincolnshire, £12.21/hr, caravan on site. Younger applicants "
            "(16-17) welcome with a parent's letter.", "high", {"minor_targeted": "16"}),
    # A fee of nothing is no fee; pay by the shift is only pay said so ("5,1jt, shift
    # malem ada tambahan" is a month's pay and a night-shift bonus).
    ("upfront", "Crew outlet ayam geprek di Purwokerto, usia 18-25, biaya pelatihan 0 rupiah, "
                "mess gratis.", "low", {}),
    ("pay", "Sy udh 2 minggu kerja di gudang ekspedisi di Cikupa, gaji 5,1jt, shift malem ada "
            "tambahan.", "low", {}),
    ("upfront", "Jasa pengurusan visa turis Jepang utk liburan, biaya jasa Rp350rb. Visa turis "
                "tidak bisa dipakai kerja ya.", "low", {}),
    # The writer keeps her own passport.
    ("negation", "Alhamdulillah kontrak 2 thn di Taiwan selesai, gaji lancar, paspor selalu aku "
                 "pegang sendiri. Minggu depan pulang.", "low", {}),
    # A passport held for the paperwork and given back: the worker keeps it now.
    ("negation", "The agency held my passport the first week for the work permit, then gave "
                 "back my passport and now I keep it myself.", "low", {}),
    ("negation", "Awalnya paspor ditahan agen buat urus visa, tapi sudah dikembalikan ke saya, "
                 "sekarang masih aku simpan.", "low", {}),
    ("negation", "Работодатель забрал паспорт на оформление патента, через неделю вернули "
                 "паспорт.", "low", {}),
    # Chat spelling of a retention ("disimpen" is "disimpan").
    ("documents", "Kerja di Malaysia, paspor disimpen majikan sampai kontrak habis.", "high",
     {"document_retention": "paspor disimpen"}),
    # A nanny's job abroad in any case of the word; a country beyond the usual few.
    ("abroad", "Ищем няню в семью в Стамбуле, двое детей, проживание с семьёй, 1000$/мес.",
     "medium", {"abroad_service_job": "няню"}),
    ("abroad", "Line cook wanted for a hotel restaurant in Reykjavik, Iceland, 12-month "
               "contract, work permit sponsored.", "medium", {"abroad_service_job": "cook"}),
    # A job that asks for a certificate of competency pays skilled rates.
    ("pay", "Dicari welder bersertifikat 6G untuk proyek jembatan di Balikpapan, pengalaman min "
            "3 th, gaji 16jt/bln + lembur, mess disediakan.", "low", {}),
    ("pay", "Электросварщики на вахту, Ямал, удостоверение НАКС обязательно, оплата 220 тыс. ₽ "
            "в месяц, проживание и питание за счёт компании.", "low", {}),
    # A case supposed in a question, with no offer in hand, is a question.
    ("question", "what should i do if my employer takes my passport?", "low", {}),
    ("question", "что делать если у меня заберут паспорт на работе?", "low", {}),
    ("question", "kalau paspor saya ditahan majikan nanti, saya harus gimana?", "low", {}),
    ("question", "Dapat tawaran kerja di Malaysia, kalau paspor dipegang agen aman gak?",
     "high", {"document_retention": "paspor dipegang"}),
    # A warning's condition is the case it advises on, not an offer.
    ("warning", "Если работодатель «временно» забрал ваш паспорт — это не норма.", "low", {}),
]


def test_a_daughters_wage_is_no_money_given_to_the_family(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Дочке предложили работу официанткой в Дубае, зп 2000$, билет "
                              "бесплатно потом вычтут из зарплаты. Это нормально?")
    assert "advance_to_family_debt" not in result.flag_ids
    assert "costs_repaid_from_wages" in result.flag_ids


@pytest.mark.parametrize(("cls", "text", "risk", "evidence"), CASES,
                         ids=[f"{c[0]}:{c[1][:30]}" for c in CASES])
def test_class(analyzer: Analyzer, cls: str, text: str, risk: str,
               evidence: dict[str, str]) -> None:
    result = analyzer.analyze(text)
    assert str(result.risk) == risk, (cls, result.flag_ids)
    quoted = {hit.flag: hit.evidence for hit in result.flags}
    for flag, words in evidence.items():
        assert flag in quoted, (cls, quoted)
        assert words in quoted[flag], (cls, flag, quoted[flag])
        assert len(quoted[flag]) <= 70, quoted[flag]
    if risk == "low":
        assert not result.flags


def test_body_photos_refused_are_no_hint(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Cari model katalog hijab, kirim portofolio (bukan foto badan) "
                              "ke email kami.")
    assert "sexual_service_hint" not in result.flag_ids


def test_free_things_are_not_no_fees_when_they_come_back_from_wages(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Tiket gratis, makan gratis, nanti potong gaji tiga bulan.")
    assert "no_fees" not in result.good_signs
    assert "no_fees" not in analyzer.analyze("Жильё бесплатно, питание бесплатно.").good_signs


def test_costs_the_employer_bears_with_no_deduction_are_no_debt(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Babysitter di Singapura, biaya ditanggung majikan, tanpa potongan "
                              "gaji, kontrak ditandatangani sebelum berangkat.")
    assert result.flag_ids == ("abroad_service_job",)


def test_a_sum_in_its_own_clause_of_a_job_is_its_pay(analyzer: Analyzer) -> None:
    # "…cafe, 1500 usd, agency pays ticket": the pay, then who pays the ticket; it had read
    # as money handed to the family (and a broker working on the parents).
    result = analyzer.analyze("my sister (17) got offer: waitress in Istanbul cafe, 1500 usd, "
                              "agency pays ticket, she returns from salary")
    assert "advance_to_family_debt" not in result.flag_ids
    assert "broker_via_parents" not in result.flag_ids
    assert "costs_repaid_from_wages" in result.flag_ids  # "she returns from salary"


def test_the_analysis_does_not_depend_on_the_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the answer must not."""
    lines = "\n".join(json.dumps({"id": i, "text": text}) for i, (_c, text, _r, _e)
                      in enumerate(CASES)) + "\n"
    outputs = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--jsonl"],
                              input=lines, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]


def test_formal_employment_is_lawful_terms_not_a_state_programme(analyzer: Analyzer) -> None:
    shop = analyzer.analyze("Требуется кассир в супермаркет, ул. Абая 45, график 2/2, "
                            "зарплата 250 000 тенге, официальное трудоустройство по ТК.")
    assert "official_programme" not in shop.good_signs and "market_pay" in shop.good_signs
    state = analyzer.analyze("Оргнабор через центр занятости, государственная программа.")
    assert "official_programme" in state.good_signs


@pytest.mark.parametrize("offer", [
    "kerja magang di jepang, bayar 35 juta ke LPK, ijazah SMP cukup",
    "Работа в Москве, нужно заплатить 800$ агенту до выезда"])
def test_a_sum_paid_to_whoever_sends_you_is_a_fee(analyzer: Analyzer, offer: str) -> None:
    assert "upfront_fee" in analyzer.analyze(offer).flag_ids


def test_a_payroll_advance_is_no_money_to_the_family(analyzer: Analyzer) -> None:
    offer = ("Кассир в магазин, зарплата 60000, аванс и расчёт два раза в месяц, "
             "семейный коллектив")
    assert "advance_to_family_debt" not in analyzer.analyze(offer).flag_ids


@pytest.mark.parametrize("chat", [
    "wkwk tolong aku dikurung emak gk boleh main hp sebelum ujian 😂",
    "temenku bilang di kamboja banyak yg disekap, serem bgt ya"])
def test_chat_with_no_job_in_it_raises_nothing(analyzer: Analyzer, chat: str) -> None:
    # a mother's rule before an exam; gossip about Cambodia with no work in it
    assert analyzer.analyze(chat).flag_ids == ()
