#!/usr/bin/env python3
"""Generates bench/corpus/values.csv: messy CRM values with the value independent reference
implementations give them, so `tests/corpus.rs` can measure regclean's agreement without Python.

    pip install --user phonenumbers python-stdnum email-validator pycountry Faker babel
    python3 bench/corpus/make_corpus.py            # writes bench/corpus/values.csv

Columns: field, country (the row's ISO alpha-2 country, empty when the row has none), raw, expected
(the cleaned value, `invalid` or `missing`), case (what the generator did, for reading failures).

References, one per field:
- phone, mobile: Google's libphonenumber (`phonenumbers`): E.164 when `is_valid_number`, else
  invalid.
- email: `email-validator` (`check_deliverability=False`), lower-cased whole.
- birth_date: the date the generator drew (Python's `datetime`), ISO, or invalid.
- revenue: the amount the generator drew, written with two decimals when decimals were shown.
- email_consent: the yes or no the generator drew.
- org_number: `python-stdnum` (`no.orgnr`, `se.orgnr`, `dk.cvr`, `pl.nip`; the Dutch KvK number
  has no stdnum module and no published checksum: eight digits).
- country: `pycountry` alpha-2 codes of CLDR names (`babel`) and ISO names.
- postcode: `python-stdnum` (`se.postnummer`, `nl.postcode`) and the national formats.

Where a careful person would disagree with a reference, the expected value is the careful
person's and the code says why next to it (search for CAREFUL).

The output is deterministic for a given version of these packages (fixed seeds throughout).
"""

import csv
import datetime as dt
import os
import random
import re
import sys

import babel
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from faker import Faker
from stdnum.dk import cvr as dk_cvr
from stdnum.nl import postcode as nl_postcode
from stdnum.no import orgnr as no_orgnr
from stdnum.pl import nip as pl_nip
from stdnum.se import orgnr as se_orgnr
from stdnum.se import postnummer as se_postnummer

PER_FIELD = 3000
R = random.Random(18)

COUNTRIES = ["NO", "SE", "DK", "DE", "NL", "PL", "GB", "US", "FI"]
WEIGHTS = [20, 15, 12, 12, 12, 12, 7, 5, 5]
LOCALE = {"NO": "no_NO", "SE": "sv_SE", "DK": "da_DK", "DE": "de_DE", "NL": "nl_NL", "PL": "pl_PL",
          "GB": "en_GB", "US": "en_US", "FI": "fi_FI"}
FAKERS = {}
for i, (c, loc) in enumerate(LOCALE.items()):
    FAKERS[c] = Faker(loc)
    FAKERS[c].seed_instance(1800 + i)


def country():
    return R.choices(COUNTRIES, WEIGHTS)[0]


ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]

# ---------------------------------------------------------------------------------------------
# Phones


def ref_phone(raw, region):
    """libphonenumber's verdict: E.164 when the number is valid, else invalid."""
    try:
        n = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return "invalid"
    if not phonenumbers.is_valid_number(n):
        return "invalid"
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


CODE = {c: str(phonenumbers.country_code_for_region(c)) for c in COUNTRIES}


def valid_number(region, kind):
    """A random valid number of `kind` in `region`, made from the metadata's example number."""
    ex = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
    nsn = str(ex.national_number)
    for _ in range(200):
        keep = R.randint(2, min(4, len(nsn) - 4))
        cand = nsn[:keep] + "".join(R.choice("0123456789") for _ in range(len(nsn) - keep))
        n = phonenumbers.parse("+" + CODE[region] + cand)
        if phonenumbers.is_valid_number(n):
            return n
    return ex


def write_phone(n, region):
    """One of the ways people and systems write a number."""
    fmt = R.random()
    if fmt < 0.25:
        return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL)
    if fmt < 0.45:
        return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if fmt < 0.6:
        return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    nat = re.sub(r"\D", "", phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL))
    if fmt < 0.7:
        return "00" + str(n.country_code) + str(n.national_number)
    if fmt < 0.8:
        return nat
    if fmt < 0.9:
        # Grouped by two or three with spaces, dashes or dots.
        sep = R.choice([" ", "-", ".", " "])
        step = R.choice([2, 3])
        return sep.join(nat[i:i + step] for i in range(0, len(nat), step))
    return "+" + str(n.country_code) + " (0)" + str(n.national_number) if region in (
        "SE", "DE", "NL", "GB") else "+" + str(n.country_code) + " " + str(n.national_number)


LABELS = ["Telefon ", "Telefon: ", "Mobil: ", "Mob: ", "Tel. ", "Tel: ", "Phone: ", "tlf ", "Tlf. ",
          "tel ", "Mobile: ", "Mobil ", "Tlf: ", "Handy: ", "Tel.: "]
EXTS = [" ext 12", " ext. 12", " (ext 12)", " extension 12", " x 123", " ext.4", " Ext 7"]


def phone_rows(field):
    rows = []
    while len(rows) < PER_FIELD:
        c = country()
        roll = R.random()
        case = ""
        if roll < 0.30:
            raw = FAKERS[c].phone_number()
            case = "faker"
        elif roll < 0.70:
            kind = phonenumbers.PhoneNumberType.MOBILE if (field == "mobile" or R.random() < 0.5) \
                else phonenumbers.PhoneNumberType.FIXED_LINE
            raw = write_phone(valid_number(c, kind), c)
            case = "valid"
        elif roll < 0.80:
            # Right length, random digits: libphonenumber decides whether the range exists.
            n = valid_number(c, phonenumbers.PhoneNumberType.MOBILE)
            nsn = str(n.national_number)
            nsn = R.choice("123456789") + "".join(R.choice("0123456789") for _ in nsn[1:])
            raw = write_phone(phonenumbers.parse("+" + CODE[c] + nsn), c) if R.random() < 0.5 else nsn
            case = "random_digits"
        elif roll < 0.86:
            # A number of another country in this row, written with or without its calling code.
            other = R.choice([x for x in COUNTRIES if x != c])
            n = valid_number(other, phonenumbers.PhoneNumberType.MOBILE)
            style = R.random()
            if style < 0.4:
                raw = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            elif style < 0.6:
                raw = "00" + str(n.country_code) + " " + str(n.national_number)
            else:
                raw = str(n.country_code) + str(n.national_number)
            case = "foreign"
        elif roll < 0.92:
            raw, c, case = R.choice(SPECIAL_PHONES)()
        else:
            # The country code written without + or 00.
            n = valid_number(c, phonenumbers.PhoneNumberType.MOBILE)
            raw = str(n.country_code) + str(n.national_number)
            case = "code_without_plus"
        clean_raw = raw
        # Decorations.
        d = R.random()
        if d < 0.08:
            raw = R.choice(LABELS) + raw
            case += "+label"
        elif d < 0.14 and not re.search(r"x\d|ext", raw):
            raw = raw + R.choice(EXTS)
            case += "+ext"
        elif d < 0.18 and raw.startswith("+"):
            m = re.match(r"\+(\d+) (.*)", raw)
            if m:
                raw = f"(+{m.group(1)}) {m.group(2)}"
                case += "+bracket_code"
        elif d < 0.22:
            raw = "'" + raw
            case += "+apostrophe"
        elif d < 0.28 and re.fullmatch(r"\+?\d+", raw):
            # pandas read the column as floats: the leading + and any leading zero are lost.
            raw = raw.lstrip("+").lstrip("0") + ".0"
            clean_raw = raw[:-2]
            case += "+float"
        elif d < 0.31:
            raw = "  " + raw + " "
            case += "+spaces"
        if case.startswith("code_without_plus"):
            # CAREFUL: `4915176626624` in a German row is +49 and a valid mobile; libphonenumber
            # keeps the 49 as part of a (possible) German number and gives +494915176626624.
            # The generator wrote the calling code in front of a valid number, so a careful
            # person's reading is that number.
            expected = ref_phone("+" + re.sub(r"\D", "", clean_raw), None)
        elif "+float" in case:
            # CAREFUL: libphonenumber reads `8114523.0` as 81145230; a spreadsheet float is the
            # integer before `.0`, so the reference is asked about that integer.
            expected = ref_phone(clean_raw, c)
        elif c == "US" and re.sub(r"^\D+", "", raw).startswith("00"):
            # CAREFUL: `00` is no international prefix in North America (011 is), so
            # libphonenumber calls `0012015550123` in a US row invalid; in a European company's
            # register it is the international form every European writes, +1 201 555 0123.
            expected = ref_phone("+" + re.sub(r"^\D*00", "", raw), None)
        else:
            expected = ref_phone(raw.replace("'", "", 1) if raw.lstrip().startswith("'") else raw, c)
        rows.append((field, c, raw, expected, case))
    return rows


def special_norway():
    return R.choice(["+4712345670", "12345670", "07845955", "0047 07845955", "+47 20000000", "+47 81234567"]), "NO", "special"


def special_germany():
    n = "015" + "".join(R.choice("0123456789") for _ in range(R.choice([7, 10, 11])))
    return n, "DE", "special_de_mobile_length"


def special_drama():
    tail = "".join(R.choice("0123456789") for _ in range(3))
    return R.choice([f"01632 960{tail}", f"07700 900{tail}", f"020 7946 0{tail}", f"0113 496 0{tail}",
                     f"+44 1632 960{tail}"]), "GB", "special_ofcom_drama"


def special_us():
    area = R.choice(["555", "211", "311", "411", "999", "370", "371", "422", "429", "532"])
    return f"({area}) 555-{R.randint(1000, 9999)}", "US", "special_us_area"


def special_polish_in_sweden():
    n = valid_number("PL", phonenumbers.PhoneNumberType.MOBILE)
    raw = R.choice(["+48 ", "0048 ", "48", "+48"]) + str(n.national_number)
    return raw, "SE", "special_pl_in_se"


SPECIAL_PHONES = [special_norway, special_germany, special_drama, special_us, special_polish_in_sweden]

# ---------------------------------------------------------------------------------------------
# E-mail

PROVIDERS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "online.no",
             "hotmail.no", "telia.com", "gmx.de", "web.de", "t-online.de", "wp.pl", "onet.pl",
             "interia.pl", "ziggo.nl", "kpnmail.nl", "hotmail.se", "live.no", "googlemail.com"]
# Real domains close to a provider: a typo that lands on one of them is not generated, because no
# one could tell it from a real address.
REAL = set(PROVIDERS) | {"mail.com", "email.com", "ymail.com", "gmx.com", "gmx.net", "cloud.com",
                         "hotmail.de", "hotmail.dk", "hotmail.nl", "hotmail.fr", "hotmail.it",
                         "yahoo.de", "yahoo.se", "yahoo.no", "yahoo.dk", "yahoo.nl", "live.com",
                         "live.se", "live.dk", "live.nl", "outlook.de", "outlook.dk", "me.com",
                         "mac.com", "gmail.de", "online.de", "wp.com", "o2.pl", "op.pl", "onet.eu",
                         "tonline.de", "web.com", "gmx.at", "gmx.ch", "hotmail.co.uk"}


def typo(domain):
    """One random edit (delete, insert, substitute, transpose) of a provider domain."""
    keys = "abcdefghijklmnopqrstuvwxyz"
    # Letters next to each other on a keyboard, the commonest substitution.
    near = {"o": "ip", "m": "n", "c": "vx", "i": "uo", "a": "s", "l": "k", "e": "wr", "n": "mb",
            "t": "ry", "h": "gj", "y": "tu"}
    while True:
        i = R.randrange(len(domain))
        op = R.choice(["del", "ins", "sub", "swap", "dup"])
        if domain[i] == "." or (op == "swap" and (i + 1 >= len(domain) or domain[i + 1] == ".")):
            continue
        if op == "del":
            t = domain[:i] + domain[i + 1:]
        elif op == "ins":
            t = domain[:i] + R.choice(keys) + domain[i:]
        elif op == "dup":
            t = domain[:i] + domain[i] + domain[i:]
        elif op == "sub":
            t = domain[:i] + R.choice(near.get(domain[i], keys)) + domain[i + 1:]
        else:
            t = domain[:i] + domain[i + 1] + domain[i] + domain[i + 2:]
        base, _, tld = t.rpartition(".")
        pbase, _, ptld = domain.rpartition(".")
        if t == domain or t in REAL or not base or not tld:
            continue
        # A two-letter TLD changed into another two-letter TLD is another country's domain.
        if len(ptld) == 2 and len(tld) == 2 and tld != ptld:
            continue
        # The short bases (wp, web, gmx, live, onet) have too many real neighbours to guess.
        if len(pbase) < 5 and base != pbase:
            continue
        # A first letter changed is another word (mail, email, cloud), not a slip.
        if base[0] != pbase[0]:
            continue
        return t


def ref_email(address):
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return "invalid"


def email_rows():
    rows = []
    while len(rows) < PER_FIELD:
        c = country()
        f = FAKERS[c]
        roll = R.random()
        if roll < 0.45:
            address = f.free_email()
        elif roll < 0.7:
            address = f.email()
        else:
            address = f.user_name() + "@" + R.choice(PROVIDERS)
        intended = address
        raw = address
        case = "plain"
        d = R.random()
        if d < 0.18:
            local, domain = address.split("@")
            if domain in PROVIDERS:
                t = typo(domain)
                raw = local + "@" + t
                case = "provider_typo"
                # CAREFUL: email-validator accepts `gmail.cm` (a syntactically fine domain); a
                # careful person sees the provider meant and corrects it.
        elif d < 0.25:
            raw = address.upper() if R.random() < 0.3 else address.capitalize()
            case = "case"
        elif d < 0.31:
            z = R.choice(ZW)
            i = R.randrange(len(address) + 1)
            raw = address[:i] + z + address[i:] if R.random() < 0.6 else z + address
            case = "zero_width"
            # CAREFUL: a pasted zero-width space or BOM is invisible debris, not part of the
            # address; email-validator rejects the value, a careful person deletes the character.
        elif d < 0.36:
            local, domain = address.split("@")
            if "." in local:
                raw = local.replace(".", " ", 1) + "@" + domain
            else:
                raw = local[: len(local) // 2] + " " + local[len(local) // 2:] + "@" + domain
            intended = None
            case = "inner_space"
        elif d < 0.42:
            raw = R.choice(["mailto:{}", "<{}>", "Jan Berg <{}>", " {} ", "\"{}\"", "{}."]).format(address)
            case = "wrapped"
            # CAREFUL: the wrapping (mailto:, a display name, quotes, a trailing dot) is not part
            # of the address; the reference is asked about the address inside.
        elif d < 0.46:
            raw = address.replace("@", R.choice(["@@", " @ ", "(at)", "@ "]), 1)
            if "(at)" in raw:
                intended = None
            case = "at_sign"
            # CAREFUL: `jan @ x.no` and `jan@@x.no` have one reading; `jan(at)x.no` is obfuscated
            # and left invalid.
        elif d < 0.50:
            raw = R.choice([address.split("@")[0], address.replace(".", "", 1) if address.split("@")[1].count(".") == 1 else address + "@x", address.split("@")[0] + "@", "@" + address.split("@")[1], address.replace("@", "@x@")])
            intended = None
            case = "broken"
        if intended is None:
            expected = ref_email(raw)
        else:
            expected = ref_email(intended)
        rows.append(("email", c, raw, expected, case))
    return rows


# ---------------------------------------------------------------------------------------------
# Birth dates (as of 2026-11-23, the reference date of the test suite)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]


def date_rows():
    rows = []
    epoch = dt.date(1899, 12, 30)
    while len(rows) < PER_FIELD:
        c = country()
        day = dt.date(1925, 1, 1) + dt.timedelta(days=R.randrange(0, (dt.date(2008, 12, 31) - dt.date(1925, 1, 1)).days))
        expected = day.isoformat()
        roll = R.random()
        case = "fmt"
        if roll < 0.15:
            raw = day.isoformat()
        elif roll < 0.35:
            raw = R.choice(["{d:02}.{m:02}.{y}", "{d}.{m}.{y}", "{d:02}/{m:02}/{y}", "{d:02}-{m:02}-{y}"]).format(
                d=day.day, m=day.month, y=day.year)
        elif roll < 0.42:
            raw = day.strftime("%Y%m%d")
        elif roll < 0.52:
            raw = str((day - epoch).days)
            case = "excel_serial"
        elif roll < 0.64:
            raw = day.isoformat() + R.choice(["T00:00:00Z", " 00:00:00", "T00:00:00+01:00",
                                              " 00:00 CET", " 00:00:00 CEST", " 00:00 UTC", " 00:00 GMT",
                                              "T00:00:00.000Z", " 12:00:00 AM"])
            case = "datetime"
        elif roll < 0.76:
            m = day.month - 1
            raw = R.choice([f"{day.day:02}-{MONTHS[m]}-{day.year}", f"{day.day} {MONTHS_LONG[m]} {day.year}",
                            f"{MONTHS[m]} {day.day}, {day.year}", f"{day.day} {MONTHS[m]} {day.year}",
                            f"{MONTHS_LONG[m]} {day.day}, {day.year}", f"{day.day}-{MONTHS[m].upper()}-{day.year}"])
            case = "month_name"
        elif roll < 0.82 and 1930 <= day.year <= 1999:
            raw = f"{day.day:02}.{day.month:02}.{day.year % 100:02}"
            case = "two_digit_year"
        elif roll < 0.88 and day.day > 12:
            # American order; only the possible reading exists.
            raw = f"{day.month}/{day.day}/{day.year}"
            case = "month_first"
        elif roll < 0.95:
            raw = R.choice([f"31.02.{day.year}", f"{day.year}-13-01", f"30.02.{day.year}", f"{day.year}",
                            f"{day.day:02}.{day.month:02}.{day.year}.5", "unknown", f"2030-{day.month:02}-01",
                            f"1850-{day.month:02}-01"])
            expected = "invalid"
            case = "invalid"
        else:
            raw = f"  {day.day:02}.{day.month:02}.{day.year} "
        rows.append(("birth_date", c, raw, expected, case))
    return rows


# ---------------------------------------------------------------------------------------------
# Revenue


def group(digits, sep):
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def money_rows():
    rows = []
    while len(rows) < PER_FIELD:
        c = country()
        cents = R.choice([R.randint(0, 999), R.randint(1000, 99999), R.randint(100000, 99999999)])
        whole = str(cents // 100)
        frac = f"{cents % 100:02}"
        decimals = R.random() < 0.5
        negative = R.random() < 0.06
        expected = whole + ("." + frac if decimals else "")
        if negative and expected.strip("0.") != "":
            expected = "-" + expected
        roll = R.random()
        dec, thou = (",", R.choice([" ", ".", "\u00a0", ""])) if c in ("NO", "SE", "DK", "DE", "NL", "PL", "FI") \
            else (".", R.choice([",", ""]))
        # A single `.` or `,` followed by three digits reads as thousands (see money.rs), so the
        # generator never writes a thousands separator that could be a decimal point alone.
        body = group(whole, thou) + (dec + frac if decimals else "")
        case = "plain"
        cur = {"NO": "kr", "SE": "kr", "DK": "kr.", "DE": "€", "NL": "€", "PL": "zł", "FI": "€", "GB": "£", "US": "$"}[c]
        if roll < 0.3:
            raw = body
        elif roll < 0.6:
            raw = R.choice(["{b} {c}", "{c} {b}", "{c}{b}", "{b}{c}"]).format(b=body, c=cur)
            case = "currency"
        elif roll < 0.7 and not decimals:
            # Swedish shelf prices: `99:-`, `1 234 kr:-`, `1 234:-`.
            raw = R.choice(["{b}:-", "{b} kr:-", "{b}:-", "{b},-", "kr {b}:-"]).format(b=group(whole, " "))
            case = "no_cents_mark"
        elif roll < 0.8:
            raw = R.choice(["NOK", "SEK", "EUR", "PLN", "DKK", "USD"]) + " " + body
            case = "iso_currency"
        else:
            raw = body
        if negative:
            raw = R.choice(["-{}", "({})", "{}-"]).format(raw)
            case += "+negative"
        rows.append(("revenue", c, raw, expected, case))
    return rows


# ---------------------------------------------------------------------------------------------
# Consent

YES = ["yes", "Yes", "YES", "y", "Y", "ja", "Ja", "JA", "j", "true", "TRUE", "True", "1", "x", "X", "✓",
       "tak", "Tak", "sant", "SANN", "WAHR", "waar", "opted in", "Opted-In", "subscribed", "on",
       "ja takk", "Ja takk", "ja tack", "Ja tack", "ja tak", "yes please", "Yes please", "Yes, please",
       "ja gerne", "ja bitte", "Ja, bitte", "ja graag", "Ja, graag", "tak, poproszę", "ja, takk", "yes!", "Ja.",
       "kyllä", "Kyllä", "joo", "1.0", "checked", "T"]
NO_ = ["no", "No", "NO", "n", "N", "nei", "Nei", "NEI", "nej", "Nej", "nee", "nie", "nein", "Nein", "false",
       "FALSE", "False", "0", "off", "opted out", "Opted-Out", "unsubscribed", "USANN", "FALSCH",
       "nei takk", "Nei takk", "nej tack", "Nej tack", "nej tak", "no thanks", "No thanks", "No, thanks",
       "no thank you", "nein danke", "Nein, danke", "nee bedankt", "Nee, dank je", "nie, dziękuję",
       "nei, takk", "ei", "Ei", "0.0", "unchecked", "F", "No."]
# Words that are not a clear yes or no stay invalid.
NEITHER = ["maybe", "kanskje", "unknown", "ukjent", "2", "ja/nei", "yes/no", "vet ikke", "later", "?!"]


def consent_rows():
    rows = []
    while len(rows) < PER_FIELD:
        c = country()
        roll = R.random()
        if roll < 0.46:
            raw, expected = R.choice(YES), "true"
        elif roll < 0.92:
            raw, expected = R.choice(NO_), "false"
        else:
            raw, expected = R.choice(NEITHER), "invalid"
        if R.random() < 0.1:
            raw = " " + raw + "  "
        rows.append(("email_consent", c, raw, expected, "word"))
    return rows


# ---------------------------------------------------------------------------------------------
# Organisation numbers


def rand_digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def make_org(c):
    """A valid number of country c (by stdnum), as digits."""
    for _ in range(1000):
        if c == "NO":
            d = R.choice("89") + rand_digits(7)
            for last in "0123456789":
                if no_orgnr.is_valid(d + last):
                    return d + last
        elif c == "SE":
            d = R.choice(["55", "56", "71", "80", "82", "90"]) + rand_digits(7)
            from stdnum import luhn
            d += luhn.calc_check_digit(d)
            if se_orgnr.is_valid(d):
                return d
        elif c == "DK":
            d = R.choice("123456789") + rand_digits(6)
            for last in "0123456789":
                if dk_cvr.is_valid(d + last):
                    return d + last
        elif c == "NL":
            return R.choice("0123456789") + rand_digits(7)
        elif c == "PL":
            d = R.choice("123456789") + rand_digits(8)
            for last in "0123456789":
                if pl_nip.is_valid(d + last):
                    return d + last
    raise RuntimeError(c)


ORG_CLEAN = {"NO": lambda d: d, "SE": lambda d: d[:6] + "-" + d[6:], "DK": lambda d: d, "NL": lambda d: d,
             "PL": lambda d: d}
ORG_VALID = {"NO": no_orgnr.is_valid, "SE": se_orgnr.is_valid, "DK": dk_cvr.is_valid,
             "NL": lambda d: len(d) == 8 and d.isdigit(), "PL": pl_nip.is_valid}
ORG_LABELS = {"NO": ["Org.nr. ", "orgnr ", "Org nr: ", "Org.nr: ", "Orgnr: ", "org. nr. "],
              "SE": ["Org.nr. ", "Orgnr: ", "org nr ", "Org.nr: "],
              "DK": ["CVR ", "CVR: ", "CVR-nr. ", "cvr nr ", "CVR-nummer: "],
              "NL": ["KvK ", "KvK: ", "KvK-nummer: ", "kvk nr ", "KVK "],
              "PL": ["NIP ", "NIP: ", "nip "]}


def org_write(c, d):
    s = R.random()
    if c == "NO":
        return R.choice([d, f"{d[:3]} {d[3:6]} {d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}", f"NO {d[:3]} {d[3:6]} {d[6:]} MVA", f"{d}MVA"])
    if c == "SE":
        return R.choice([d, f"{d[:6]}-{d[6:]}", f"SE{d}01", f"16{d[:6]}-{d[6:]}"])
    if c == "DK":
        return R.choice([d, f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:]}", f"DK{d}", f"DK {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"])
    if c == "NL":
        return R.choice([d, f"{d[:4]} {d[4:]}", f"{d[:2]}.{d[2:5]}.{d[5:]}"])
    return R.choice([d, f"{d[:3]}-{d[3:6]}-{d[6:8]}-{d[8:]}", f"PL{d}", f"{d[:3]}-{d[3:5]}-{d[5:7]}-{d[7:]}"]) if s < 2 else d


def org_rows():
    rows = []
    while len(rows) < PER_FIELD:
        c = R.choices(["NO", "SE", "DK", "NL", "PL"], [30, 20, 20, 15, 15])[0]
        d = make_org(c)
        case = "valid"
        if R.random() < 0.25:
            # One digit mistyped: the checksum catches it (NL has none, so it stays valid).
            i = R.randrange(len(d))
            d = d[:i] + str((int(d[i]) + R.randint(1, 9)) % 10) + d[i + 1:]
            case = "typo"
        raw = org_write(c, d)
        if R.random() < 0.25:
            raw = R.choice(ORG_LABELS[c]) + raw
            case += "+label"
        expected = ORG_CLEAN[c](d) if ORG_VALID[c](d) else "invalid"
        # CAREFUL: stdnum's se.orgnr accepts only ten digits; the VAT form SE…01 and the century
        # form 16… are the same number, which a careful person reads (as regclean does).
        rows.append(("org_number", c, raw, expected, case))
    return rows


# ---------------------------------------------------------------------------------------------
# Countries

NAME_LOCALES = ["en", "nb", "nn", "sv", "da", "de", "nl", "pl", "fi", "fr", "es", "it", "cs"]


def fold(s):
    import unicodedata
    s = s.lower()
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch):
            continue
        ch = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "ß": "ss", "đ": "d", "þ": "th", "ı": "i"}.get(ch, ch)
        if ch.isalnum():
            out.append(ch)
    return "".join(out)


def country_names():
    """(name, alpha-2) pairs from CLDR (babel) in our locales and from pycountry; a name whose
    folded form names two countries is dropped, since no one can tell which was meant."""
    codes = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    names = {}
    for loc in NAME_LOCALES:
        for code, name in babel.Locale.parse(loc).territories.items():
            if code in codes:
                names.setdefault(name, set()).add(code)
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if hasattr(c, attr):
                names.setdefault(getattr(c, attr), set()).add(c.alpha_2)
        names.setdefault(c.alpha_3, set()).add(c.alpha_2)
        names.setdefault(c.alpha_2, set()).add(c.alpha_2)
    by_key = {}
    for name, cs in names.items():
        by_key.setdefault(fold(name), set()).update(cs)
    return sorted((n, next(iter(cs))) for n, cs in names.items() if len(cs) == 1 and len(by_key[fold(n)]) == 1)


def latin(name):
    import unicodedata
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in name)


def endonyms():
    """Each country's name in its own language(s), from CLDR."""
    out = []
    for loc_id in babel.localedata.locale_identifiers():
        try:
            loc = babel.Locale.parse(loc_id)
        except Exception:
            continue
        if loc.territory and loc.script is None and loc.variant is None:
            name = loc.territories.get(loc.territory)
            # Latin script only: a register in our markets holds `Suomi` or `Česko`, not `اليمن`.
            if name and latin(name) and loc.territory in {c.alpha_2 for c in pycountry.countries}:
                out.append((name, loc.territory))
    return sorted(set(out))


def country_rows(names, endo):
    rows = []
    ours = ["NO", "SE", "DK", "DE", "NL", "PL", "GB", "US", "FI"]
    endo_by_key = {}
    for n, a in endo:
        endo_by_key.setdefault(fold(n), set()).add(a)
    names_by_key = {}
    for n, a in names:
        names_by_key.setdefault(fold(n), set()).add(a)
    endo = [(n, a) for n, a in endo if len(endo_by_key[fold(n)]) == 1 and names_by_key.get(fold(n), {a}) == {a}]
    while len(rows) < PER_FIELD:
        roll = R.random()
        if roll < 0.35:
            # Our markets' countries in our languages, the commonest values in a register.
            a = R.choice(ours)
            loc = R.choice(NAME_LOCALES[:8])
            name = babel.Locale.parse(loc).territories[a]
            case = "ours"
        elif roll < 0.8:
            name, a = R.choice(names)
            case = "any_name"
        else:
            name, a = R.choice(endo)
            case = "endonym"
        d = R.random()
        if d < 0.15:
            name = name.upper()
        elif d < 0.25:
            name = name.lower()
        elif d < 0.3:
            name = " " + name + ". "
        rows.append(("country", R.choice(ours), name, a, case))
    return rows


# ---------------------------------------------------------------------------------------------
# Postcodes


def expected_postcode(c, code):
    """The reference's verdict on the code the generator meant (`code`, official form)."""
    if c == "SE":
        return se_postnummer.format(code) if se_postnummer.is_valid(code) else "invalid"
    if c == "NL":
        return nl_postcode.compact(code)[:4] + " " + nl_postcode.compact(code)[4:] if nl_postcode.is_valid(code) else "invalid"
    if c in ("NO", "DK"):
        return code if re.fullmatch(r"\d{4}", code) else "invalid"
    if c in ("DE", "FI", "US"):
        return code if re.fullmatch(r"\d{5}", code) else "invalid"
    if c == "PL":
        return code if re.fullmatch(r"\d\d-\d{3}", code) else "invalid"
    if c == "GB":
        m = re.fullmatch(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})", code)
        return f"{m.group(1)} {m.group(2)}" if m else "invalid"
    return code


def postcode_rows():
    rows = []
    while len(rows) < PER_FIELD:
        c = country()
        code = FAKERS[c].postcode()
        if c == "NL" and R.random() < 0.05:
            code = code[:5] + R.choice(["SA", "SD", "SS"])
        if c == "SE":
            code = code.replace(" ", "")
            code = code[:3] + " " + code[3:]
        expected = expected_postcode(c, code)
        raw = code
        case = "plain"
        roll = R.random()
        if roll < 0.15:
            raw = code.replace(" ", "").replace("-", "")
            case = "squeezed"
        elif roll < 0.22 and c in ("SE", "NL"):
            raw = code.replace(" ", "-")
            case = "dash"
        elif roll < 0.3:
            raw = code.lower()
            case = "lower"
        elif roll < 0.4 and c in ("NO", "DK", "SE", "DE", "NL", "PL", "FI"):
            prefix = {"NO": "NO-", "DK": "DK-", "SE": "SE-", "DE": "D-", "NL": "NL-", "PL": "PL-", "FI": "FI-"}[c]
            raw = prefix + code
            case = "prefix"
        elif roll < 0.48 and c in ("NO", "DE") and code.startswith("0"):
            raw = code[1:]
            case = "lost_zero"
        elif roll < 0.52:
            raw = " " + code + "  "
            case = "spaces"
        rows.append(("postcode", c, raw, expected, case))
    return rows


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "values.csv")
    names = country_names()
    endo = endonyms()
    rows = (phone_rows("phone") + phone_rows("mobile") + email_rows() + date_rows() + money_rows()
            + consent_rows() + org_rows() + country_rows(names, endo) + postcode_rows())
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["field", "country", "raw", "expected", "case"])
        w.writerows(rows)
    print(f"wrote {len(rows)} values to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
