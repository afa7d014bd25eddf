"""Job offers as people paste them (written for the benchmarks, about 190 characters on
average): risky and ordinary ones in Indonesian, Russian and English. Each use gets its own
number in it, so no cache of exact texts flatters a run."""

from __future__ import annotations

OFFERS = (
    "Dicari pelayan restoran di Kuala Lumpur, gaji RM 4.{n}00 per bulan, tiket dan visa "
    "ditanggung agen, tidak perlu pengalaman. Paspor dititipkan ke kantor selama kontrak. "
    "Hubungi Bu Rina WA 0812-{n}-7789",
    "Lowongan operator produksi PT Sinar Abadi, Jl. Industri Raya 3 Bekasi. Pendidikan "
    "minimal SMK, usia 18-25 tahun, gaji sesuai UMK, BPJS. Lamaran dikirim ke HRD paling "
    "lambat tanggal {n}.",
    "BUTUH CEPAT!! Pemandu karaoke di Batam, gaji 15 juta + bonus, mes gratis, bisa kasbon "
    "dulu untuk ongkos, dipotong dari gaji. Umur 16 ke atas boleh. Chat sekarang kode {n}",
    "Требуются официантки в ресторан в Анталье, зарплата 3{n}00 долларов, жильё и билеты за "
    "счёт работодателя, опыт не нужен. Паспорт сдаёте агенту на оформление. Пишите в личку.",
    "Компания ООО «Северный склад» приглашает комплектовщиков, Подольск, график 5/2, "
    "оформление по ТК РФ с первого дня, белая зарплата от 6{n} 000 руб. Собеседование в "
    "офисе на Ленина 12.",
    "Работа в Дубае для девушек 18-25, модельное агентство, доход от 5000$ в месяц, "
    "перелёт оплачиваем, долг за билет вернёте из зарплаты. Фото в купальнике обязательно. "
    "Код анкеты {n}",
    "Hiring housemaids for a family in Riyadh, salary 1{n}00 SAR, no experience needed, "
    "free visa and ticket, agent keeps your passport for safety. Pay the processing fee of "
    "$300 first. WhatsApp now!",
    "Warehouse associate wanted in Johor Bahru: day shifts, 8 hours, overtime paid per law, "
    "company dormitory optional. Apply at our office with your IC; interview reference "
    "WH-{n}. No fees charged.",
    "Kerja di Jepang lewat program magang resmi, biaya pendaftaran 25 juta dibayar di muka, "
    "dijamin berangkat bulan depan tanpa tes bahasa, ijazah asli dititipkan di LPK. "
    "Sisa kuota {n} orang.",
    "Срочно нужны девушки на работу в Корею, танцовщицы в клуб, зарплата от 4{n}00$, "
    "виза не нужна, вылет через неделю. Документы заберём на оформление, расходы потом "
    "вычтем из зарплаты.",
)


def offer(n: int) -> str:
    """The n-th offer of the benchmark (the texts in turn, each with n in it)."""
    return OFFERS[n % len(OFFERS)].format(n=n)


def mean_length(count: int = 1000) -> float:
    return sum(len(offer(n)) for n in range(count)) / count
