#!/usr/bin/env bash
# Speed, memory and accuracy of account (organisation) dedup at scale: a generated register of
# companies (name, org number, website, street, postcode, city, country, phone), a quarter of them
# entered again with the variations exports show (legal form spelled another way or dropped,
# case, `&`/`og`, a word abbreviated, a typo, the website with scheme and path, the phone in
# another format, the org number left out), run with defaults and scored against the truth.
#
#   bash bench/accounts.sh [ROWS...]      (default: 100000 1000000)
#
# The generator is here, in Python's standard library, with a fixed seed: it shares nothing with
# the engine but the idea of what an account export looks like. Prints wall time and peak memory
# (from /usr/bin/time) and the evaluation per size.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/regclean
for n in "${sizes[@]}"; do
  reg="$work/accounts$n.csv"
  [ -f "$reg" ] || python3 - "$n" "$reg" <<'PY'
import csv, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(26)
first = ["Nord", "Fjord", "Berg", "Vik", "Stein", "Lys", "Skog", "Elv", "Sol", "Havn", "Dal", "Strand",
         "Alpha", "Nova", "Astra", "Vega", "Polar", "Aurora", "Granit", "Kobber", "Sølv", "Gull",
         "Eik", "Bjørk", "Furu", "Lind", "Ask", "Rogn", "Hassel", "Alm", "Olsen", "Hansen", "Berge",
         "Lie", "Moen", "Haug", "Bakke", "Lunde", "Dahl", "Holm", "Kvam", "Rud", "Aas", "Sæther"]
second = ["tek", "data", "bygg", "consult", "invest", "eiendom", "transport", "marin", "energi",
          "media", "design", "mat", "helse", "montasje", "elektro", "rør", "maling", "regnskap",
          "advokat", "finans", "logistikk", "service", "handel", "import", "sport", "reiser"]
generic = ["Consulting", "Group", "Holding", "Partners", "Solutions", "Services", "Norge", "Nordic",
           "Eiendom", "Invest", "Bygg", "Transport", "Regnskap", "Systems", "Design", ""]
forms = ["AS", "AS", "AS", "ASA", "DA", "ANS", "SA", ""]
streets = ["Storgata", "Kirkegata", "Industriveien", "Havnegata", "Strandveien", "Sjøgata",
           "Parkveien", "Fjordveien", "Bryggen", "Torget", "Jernbanegata", "Nedre gate",
           "Øvre gate", "Skolegata", "Kongens gate", "Dronningens gate", "Prinsens gate"]
cities = [("0150", "Oslo"), ("5003", "Bergen"), ("7011", "Trondheim"), ("4006", "Stavanger"),
          ("9008", "Tromsø"), ("3015", "Drammen"), ("1606", "Fredrikstad"), ("4610", "Kristiansand"),
          ("6002", "Ålesund"), ("8006", "Bodø"), ("2317", "Hamar"), ("3111", "Tønsberg")]

def orgnr(i):
    while True:
        base = [int(c) for c in f"{9 * 10**7 + (i * 7919 + rng.randrange(1000)) % (10**8 - 1):08d}"[-8:]]
        base[0] = 9
        s = sum(d * w for d, w in zip(base, [3, 2, 7, 6, 5, 4, 3, 2]))
        c = 11 - s % 11
        if c == 11:
            c = 0
        if c != 10:
            return "".join(map(str, base)) + str(c)

syllables = ["an", "ber", "dal", "el", "fjo", "gran", "hav", "is", "jor", "kal", "lin", "mor", "nor",
             "ol", "pri", "ros", "sol", "tor", "ul", "var", "vik", "ask", "bre", "lo", "mi", "sta",
             "ker", "ten", "ra", "vo", "ne", "sk", "ti", "da", "ga", "ho", "je", "ku", "le", "pa"]

def street():
    # A street of the pool or a made-up one: a register of a million companies has hundreds of
    # thousands of addresses, and an office building a handful of companies, not thirty.
    if rng.random() < 0.2:
        name = rng.choice(streets)
    else:
        name = "".join(rng.choice(syllables) for _ in range(2)).capitalize() + rng.choice(
            ["gata", "veien", "vegen", "gate", " allé", "bakken", "stien"])
    return f"{name} {rng.randrange(1, 200)}"

def company(i):
    # A made-up core name of two or three syllables, or a place or family word with a trade:
    # some companies of a register share a name, most do not.
    if rng.random() < 0.7:
        name = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 3, 3]))).capitalize()
    else:
        name = f"{rng.choice(first)}{rng.choice(second)}"
    g = rng.choice(generic)
    words = [name] + ([g] if g else [])
    if rng.random() < 0.3:
        words.insert(0, rng.choice(first))
    pc, city = rng.choice(cities)
    domain = "".join(w.lower() for w in words[:2]).replace("ø", "o").replace("æ", "ae").replace("å", "a") + ".no"
    return {
        "name": " ".join(words), "form": rng.choice(forms), "org": orgnr(i), "web": domain,
        "street": street(), "pc": pc, "city": city,
        "phone": f"{rng.choice([2, 3, 5, 6, 7])}{rng.randrange(10**6, 10**7)}",
    }

def variant(c):
    name, form = c["name"], c["form"]
    r = rng.random()
    if r < 0.2:
        form = {"AS": "A/S", "ASA": "A.S.A.", "DA": "D.A.", "ANS": "ans", "SA": "S.A."}.get(form, form)
    elif r < 0.35:
        form = ""
    elif r < 0.5:
        name = name.upper()
    elif r < 0.6 and len(name) > 6:
        k = rng.randrange(1, len(name) - 1)
        name = name[:k] + name[k + 1:]
    web = c["web"] if rng.random() < 0.7 else ""
    if web and rng.random() < 0.5:
        web = f"https://www.{web}/kontakt"
    phone = c["phone"]
    phone = f"+47 {phone[:2]} {phone[2:4]} {phone[4:6]} {phone[6:]}" if rng.random() < 0.5 else phone
    return {**c, "name": name, "form": form, "web": web, "phone": phone if rng.random() < 0.85 else "",
            "org": c["org"] if rng.random() < 0.5 else ""}

with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["Record ID", "Company Name", "Org Number", "Website", "Street Address", "Postal Code",
                "City", "Country", "Phone Number", "entity_id"])
    rows, i = 0, 0
    while rows < n:
        c = company(i)
        copies = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
        for k in range(min(copies, n - rows)):
            v = c if k == 0 else variant(c)
            w.writerow([f"A{rows:08d}", f"{v['name']} {v['form']}".strip(), v["org"] if k == 0 or v["org"] else "",
                        v["web"], v["street"], v["pc"], v["city"], "NO", v["phone"], f"E{i}"])
            rows += 1
        i += 1
PY
  out="$work/out-accounts$n"
  rm -rf "$out"
  cat "$reg" > /dev/null
  /usr/bin/time -f "%e %M" -o "$work/time$n" "$bin" run "$reg" --out "$out" --as-of 2026-11-23 --quiet || [ $? -eq 3 ]
  read -r wall kb < "$work/time$n"
  echo "accounts $n rows: wall ${wall} s, peak $((kb / 1024)) MiB"
  "$bin" evaluate "$out" --truth entity_id | grep -E '^(precision|recall|f1|b-cubed|blocking)'
done
