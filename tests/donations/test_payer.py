"""The payer's name in real-shaped Vietnamese transfer notes: recognised shapes give the
name as written (title case, no invented diacritics); anything uncertain gives None."""

import time

import pytest

from donations.statements.payer import PayerSuggestion, suggest_payer

N = None  # no suggestion expected

CORPUS = [
    # ---- Vietcombank app (MBVCB) and internet banking: the account holder after "CT tu"
    (
        "MBVCB.4530998360.029552.NGUYEN THE HUNG chuyen tien.CT tu 0351000646393 "
        "NGUYEN THE HUNG toi 231814973 NGUYEN NGOC DIEP tai VPBANK",
        ("Nguyen The Hung", "chuyen tien"),
    ),
    (
        "MBVCB.4525077405.9P0019630833 CT tu 0351000646393 NGUYEN THE HUNG toi1018795282 "
        "CT CP 9PAY",
        ("Nguyen The Hung", ""),
    ),
    (
        "MBVCB.4554223041.LE THI MINH chuyen tien.CT tu 0351000803936 LE THE MINH",
        ("Le The Minh", "chuyen tien"),
    ),
    (
        "MBVCB.7001234567.123456.TRAN VAN HAI ung ho dong bao bi bao lu.CT tu "
        "0011004022394 TRAN VAN HAI toi 0011001932418 MAT TRAN TO QUOC VN - BAN CUU TRO TW",
        ("Tran Van Hai", "ung ho dong bao bi bao lu"),
    ),
    (
        "MBVCB.6889012345.445566.PHAM THI THU HA ung ho quy vi nguoi ngheo phuong LDH."
        "CT tu 1023456789 PHAM THI THU HA toi 0021000123456 UB MTTQ PHUONG LE DAI HANH",
        ("Pham Thi Thu Ha", "ung ho quy vi nguoi ngheo phuong LDH"),
    ),
    (
        "MBVCB.5512.VNN R0042.CT tu 0123456789 DO VAN HUNG toi 0021000123456 UB MTTQ",
        ("Do Van Hung", ""),
    ),
    (
        "MBVCB.3278614422.5798BFTVG2UCTVPX.BUI THI MAI chuyen tien.CT tu 0451000123456 "
        "BUI THI MAI toi 0011001932418",
        ("Bui Thi Mai", "chuyen tien"),
    ),
    (
        "MBVCB.4530998360.029552.NGUYEN\nTHE HUNG chuyen tien.CT tu\n0351000646393 "
        "NGUYEN THE HUNG\ntoi 231814973",
        ("Nguyen The Hung", "chuyen tien"),
    ),
    (
        "CT tu 0071000654321 HOANG MINH DUC toi 0021000123456 UB MTTQ PHUONG LDH tai VCB",
        ("Hoang Minh Duc", ""),
    ),
    # ---- <ref>.<date>.<time>.NAME message
    ("123929.090924.123929.NGUYEN THI HUONG chuyen tien", ("Nguyen Thi Huong", "chuyen tien")),
    (
        "020097042209081023302024PTVK148032.37698.102330.LE VAN LUONG ung ho mien bac",
        ("Le Van Luong", "ung ho mien bac"),
    ),
    (
        "0011.090924.181553.TRAN VAN BINH ung ho dong bao bi bao lu",
        ("Tran Van Binh", "ung ho dong bao bi bao lu"),
    ),
    (
        "448801.171024.093012.VU THI HONG NHUNG chuyen tien ung ho nguoi ngheo",
        ("Vu Thi Hong Nhung", "chuyen tien ung ho nguoi ngheo"),
    ),
    # ---- IBFT (Napas interbank) and Techcombank-style FT trailers
    (
        "IBFT NGUYEN VAN AN chuyen khoan ung ho quy vi nguoi ngheo",
        ("Nguyen Van An", "chuyen khoan ung ho quy vi nguoi ngheo"),
    ),
    ("IBFT DINH THI LOAN chuyen tien", ("Dinh Thi Loan", "chuyen tien")),
    ("IBFT TRUONG QUANG VINH CK UNG HO", ("Truong Quang Vinh", "CK UNG HO")),
    ("HO VAN NAM chuyen tien FT24253123456789", ("Ho Van Nam", "chuyen tien")),
    (
        "NGUYEN THI THANH TAM ung ho quy VNN phuong Le Dai Hanh FT24291000123456",
        ("Nguyen Thi Thanh Tam", "ung ho quy VNN phuong Le Dai Hanh"),
    ),
    (
        "NAPAS IBFT LY THI KIM OANH chuyen tien Trace 123456",
        ("Ly Thi Kim Oanh", "chuyen tien"),
    ),
    # ---- TKThe ..., tai VCB. NAME message
    (
        "TKThe :0123456789, tai VCB. TRAN THI BICH NGOC chuyen tien ung ho",
        ("Tran Thi Bich Ngoc", "chuyen tien ung ho"),
    ),
    (
        "TKThe :9704366812345678, tai BIDV. PHAN VAN DUNG ung ho nguoi ngheo",
        ("Phan Van Dung", "ung ho nguoi ngheo"),
    ),
    # ---- NAME ung ho / CK / chuyen khoan
    ("NGUYEN VAN TOAN CK UNG HO NGUOI NGHEO", ("Nguyen Van Toan", "CK UNG HO NGUOI NGHEO")),
    ("TRAN THI B UNG HO DONG BAO LU LUT", ("Tran Thi B", "UNG HO DONG BAO LU LUT")),
    ("LAM VAN TUNG ung ho", ("Lam Van Tung", "ung ho")),
    ("DUONG THI NGA gui tien ung ho", ("Duong Thi Nga", "gui tien ung ho")),
    ("NGO BAO CHAU dong gop quy", ("Ngo Bao Chau", "dong gop quy")),
    ("CAN HO 1203 NGUYEN VAN KHOA CK", ("Nguyen Van Khoa", "CK")),
    ("NGUYEN VAN A VA GIA DINH ung ho", ("Nguyen Van A", "ung ho")),
    ("TON NU THI MINH CHAU ung ho", ("Ton Nu Thi Minh Chau", "ung ho")),
    # ---- MB, VietinBank, BIDV, Agribank
    (
        "CUSTOMER PHAM MINH TUAN chuyen tien. TU: PHAM MINH TUAN",
        ("Pham Minh Tuan", "chuyen tien"),
    ),
    (
        "VO THANH TAM chuyen tien- Ma GD ACSP/ ab123456",
        ("Vo Thanh Tam", "chuyen tien"),
    ),
    ("CT DEN:427T24A1B2C3 VU THI LAN ung ho quy VNN", ("Vu Thi Lan", "ung ho quy VNN")),
    ("REM Tfr Ac: 12345678901 KIEU VAN THANH ung ho", ("Kieu Van Thanh", "ung ho")),
    ("IBVCB.2201.DAO THI HUE chuyen tien", ("Dao Thi Hue", "chuyen tien")),
    ("ND Chuyen tien tu LE VAN TAI", ("Le Van Tai", "")),
    ("Nhan tien tu TRINH CONG SON. Ref 0099", ("Trinh Cong Son", "")),
    ("Nguoi chuyen: QUACH THI HOA", ("Quach Thi Hoa", "")),
    # ---- wallets
    ("MOMO-DANG QUOC BAO-ung ho nguoi ngheo", ("Dang Quoc Bao", "ung ho nguoi ngheo")),
    ("ZP241012000123 MAI VAN DUC chuyen tien", ("Mai Van Duc", "chuyen tien")),
    (
        "ZALOPAY-241017-LUONG THI THAO-ung ho quy vi nguoi ngheo",
        ("Luong Thi Thao", "ung ho quy vi nguoi ngheo"),
    ),
    ("VNPAY.QR.991234 TA DINH PHONG chuyen khoan", ("Ta Dinh Phong", "chuyen khoan")),
    # ---- organisations
    (
        "CONG TY TNHH AN PHAT chuyen khoan ung ho quy VNN",
        ("Cong Ty TNHH An Phat", "chuyen khoan ung ho quy VNN"),
    ),
    (
        "IBFT CTY CP XAY DUNG HA NOI ung ho quy vi nguoi ngheo",
        ("Cty CP Xay Dung Ha Noi", "ung ho quy vi nguoi ngheo"),
    ),
    ("HTX DICH VU NONG NGHIEP ung ho", ("HTX Dich Vu Nong Nghiep", "ung ho")),
    # ---- typed with diacritics: kept as written
    ("NGUYỄN VĂN ÂN chuyển tiền ủng hộ", ("Nguyễn Văn Ân", "chuyển tiền ủng hộ")),
    ("ĐỖ THỊ HẰNG ủng hộ quỹ", ("Đỗ Thị Hằng", "ủng hộ quỹ")),
    # ---- hostile: apartment codes, codes, account numbers, bank words, no name
    ("R51118 Royal City ung ho", N),
    ("P R1203 TAM TRINH CHUYEN TIEN", N),
    ("R51118 ROYAL CITY CHUYEN TIEN", N),
    ("VNN R0042 TO 7 NOP TIEN DOT THU", N),
    ("VNN-2024-000123", N),
    ("CK", N),
    ("", N),
    ("   ", N),
    (None, N),
    ("0011004022394", N),
    ("Tra lai tien gui thang 10/2024", N),
    ("TRA LAI TIEN GUI THANG 10", N),
    ("Phi quan ly tai khoan", N),
    ("CHUYEN KHOAN ZALOPAY 0912xxx678", N),
    ("GIA DINH TOI UNG HO", N),
    ("TAP THE CAN BO PHUONG UNG HO", N),
    ("nguyen van an chuyen tien", N),  # lower case: not a bank-written name
    ("NGUYEN VAN AN", N),  # no verb, no label: could be a place
    ("UNG HO QUY VI NGUOI NGHEO", N),
    ("TO DAN PHO SO 3 UNG HO", N),
    ("NHA HAO TAM GIAU TEN UNG HO", N),
    ("ABCD EFGH chuyen tien", N),  # not a family name
    ("JOHN SMITH chuyen tien", N),
    ("NGUYEN chuyen tien", N),  # one word
    ("NGUYEN VAN AN BINH CHAU DUC MANH chuyen tien", N),  # seven words
    ("MBVCB.4530998360.029552.chuyen tien.CT tu 0351000646393 toi 231814973", N),
    ("POS79900019.881867.20231101.121709 97043686Ve85cd4.580568.GD:ZALOPAY", N),
    ('=HYPERLINK("http://x") chuyen tien', N),
    ("<script>alert(1)</script> ung ho", N),
    ("A" * 10_000, N),
    ("NGUYEN VAN AN chuyen tien " + "x" * 5000, ("Nguyen Van An", "chuyen tien " + "x" * 288)),
]


@pytest.mark.parametrize(
    ("description", "expected"), CORPUS, ids=[str(i) for i in range(len(CORPUS))]
)
def test_corpus(description, expected):
    found = suggest_payer(description)
    if expected is None:
        assert found is None, found
    else:
        assert found == PayerSuggestion(*expected)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 60
    assert sum(1 for _, expected in CORPUS if expected is None) >= 20


def test_very_long_hostile_text_is_fast():
    text = ("NGUYEN " * 20_000) + "chuyen tien" + (" 1.2-3" * 20_000)
    start = time.perf_counter()
    suggest_payer(text)
    assert time.perf_counter() - start < 0.2


def test_name_never_gets_invented_diacritics():
    found = suggest_payer("IBFT NGUYEN VAN AN chuyen tien")
    assert found.name == "Nguyen Van An"
