"""Organisation matching: quality on the labelled pairs, speed on a synthetic registry of 50,000.

    .venv/bin/python benchmarks/entities.py            # everything
    .venv/bin/python benchmarks/entities.py --pairs    # only the labelled-pairs numbers (with misses)

Labelled pairs (tests/data/org_pairs.tsv): for each pair a fresh OrgMatcher gets name_a (with country_a),
then `match(name_b, country_b)` decides "same". Reported with the alias table (how the store uses it) and
without it (the rules alone), so the table's share of the result is visible.

Synthetic registry: organisation type × theme × place of the six countries (× an optional proper name),
each written in English, Bosnian/Serbian (Latin or Cyrillic), Albanian or Macedonian.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aidatlas.normalize.script import cyr_to_lat
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.registry import open_store
from aidatlas.resolve.matcher import OrgMatcher, cluster

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "org_pairs.tsv"

# type: English, Bosnian/Serbian, Albanian, Macedonian
TYPES = [("Association", "Udruženje", "Shoqata", "Здружение"), ("Center", "Centar", "Qendra", "Центар"),
         ("Foundation", "Fondacija", "Fondacioni", "Фондација"), ("Network", "Mreža", "Rrjeti", "Мрежа"),
         ("Forum", "Forum", "Forumi", "Форум"), ("Institute", "Institut", "Instituti", "Институт"),
         ("Agency", "Agencija", "Agjencia", "Агенција"), ("Initiative", "Inicijativa", "Nisma", "Иницијатива"),
         ("Club", "Klub", "Klubi", "Клуб"), ("Union", "Savez", "Bashkimi", "Сојуз")]
THEMES = [("Women's Rights", "ženska prava", "të Drejtat e Grave", "женски права"),
          ("Environment", "životnu sredinu", "Mjedisin", "животна средина"),
          ("Youth Development", "razvoj mladih", "Zhvillimin e të Rinjve", "развој на младите"),
          ("Democracy", "demokratiju", "Demokraci", "демократија"),
          ("Human Rights", "ljudska prava", "të Drejtat e Njeriut", "човекови права"),
          ("Local Development", "lokalni razvoj", "Zhvillim Lokal", "локален развој"),
          ("Civil Society", "civilno društvo", "Shoqërinë Civile", "граѓанско општество"),
          ("Education", "obrazovanje", "Arsim", "образование"), ("Culture", "kulturu", "Kulturë", "култура"),
          ("Health", "zdravlje", "Shëndetin", "здравје"), ("Peace", "mir", "Paqe", "мир"),
          ("Roma Inclusion", "inkluziju Roma", "Përfshirjen e Romëve", "инклузија на Ромите"),
          ("Rural Development", "ruralni razvoj", "Zhvillim Rural", "рурален развој"),
          ("Social Inclusion", "socijalnu inkluziju", "Përfshirje Sociale", "социјална инклузија"),
          ("Media Freedom", "slobodu medija", "Lirinë e Medias", "слобода на медиумите"),
          ("Tourism", "turizam", "Turizëm", "туризам"), ("Sport", "sport", "Sport", "спорт"),
          ("Children", "djecu", "Fëmijët", "деца"), ("Migration", "migracije", "Migracion", "миграција"),
          ("Transparency", "transparentnost", "Transparencë", "транспарентност")]
PLACES = {
    "BA": "Sarajevo Banja_Luka Mostar Tuzla Zenica Bihać Prijedor Trebinje Doboj Bijeljina Brčko Zavidovići "
          "Jablanica Nevesinje Žepče Maglaj Travnik Goražde Konjic Cazin Srebrenica Visoko Gradačac Livno "
          "Čapljina Foča Kakanj Lukavac Bugojno Tešanj",
    "RS": "Beograd Novi_Sad Niš Kragujevac Subotica Zrenjanin Pančevo Čačak Kraljevo Novi_Pazar Leskovac "
          "Smederevo Valjevo Vranje Šabac Užice Sombor Zaječar Pirot Kruševac",
    "XK": "Prishtina Prizren Peja Gjakova Mitrovica Ferizaj Gjilan Vushtrri Podujeva Rahovec Suhareka "
          "Malisheva Skenderaj Kamenica Lipjan",
    "ME": "Podgorica Nikšić Budva Herceg_Novi Kotor Cetinje Pljevlja Bijelo_Polje Berane Ulcinj Tivat Rožaje",
    "MK": "Skopje Bitola Kumanovo Prilep Tetovo Ohrid Veles Štip Gostivar Strumica Kavadarci Kočani Kičevo "
          "Struga Gevgelija Debar",
    "AL": "Tirana Durrës Vlorë Shkodër Elbasan Korçë Fier Berat Lushnjë Kavajë Pogradec Gjirokastër "
          "Sarandë Kukës Lezhë",
}
LANG_OF = {"BA": (0, 1), "RS": (0, 1, 4), "XK": (0, 2), "ME": (0, 1, 4), "MK": (0, 3, 2), "AL": (0, 2)}


def _proper_names(rng: random.Random, n: int) -> list[str]:
    """Invented proper names (Kariza, Lumeno …), each used by one organisation, as in life."""
    syll = ["ka", "ri", "zo", "na", "ve", "lu", "mi", "to", "sa", "de", "ko", "li", "ja", "bo", "re", "ti",
            "ga", "mo", "ne", "pi", "ru", "se", "va", "do", "ze", "gra", "sto", "bra", "vi", "lo"]
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))).capitalize())
    names = sorted(out)
    rng.shuffle(names)
    return names


def render(org: Org, lang: int) -> str:
    """One organisation in one language: 0 en, 1 bs, 2 sq, 3 mk, 4 sr Cyrillic."""
    t, th, place, _country, proper = org
    place = place.replace("_", " ")
    if lang == 0:
        core = f"{TYPES[t][0]} for {THEMES[th][0]}"
    elif lang in (1, 4):
        core = f"{TYPES[t][1]} za {THEMES[th][1]}"
    elif lang == 2:
        core = f"{TYPES[t][2]} për {THEMES[th][2]}"
    else:
        core = f"{TYPES[t][3]} за {THEMES[th][3]}"
    name = f"{core} \"{proper}\" {place}" if proper else f"{core} {place}"
    return _to_cyrillic(name) if lang == 4 else name


_LAT = {"lj": "љ", "nj": "њ", "dž": "џ", "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ",
        "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н",
        "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш", "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж"}


def _to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic (digraphs first), for names written in Cyrillic."""
    out, i = [], 0
    while i < len(text):
        two, one = text[i:i + 2], text[i]
        if two.lower() in _LAT:
            cyr = _LAT[two.lower()]
            out.append(cyr.upper() if two[0].isupper() else cyr)
            i += 2
        else:
            cyr = _LAT.get(one.lower(), one)
            out.append(cyr.upper() if one.isupper() else cyr)
            i += 1
    return "".join(out)


Org = tuple[int, int, str, str, str | None]


def synthetic_orgs(n: int, seed: int = 7) -> list[Org]:
    """n distinct organisations (type, theme, place, country, proper name or None)."""
    rng = random.Random(seed)
    propers = iter(_proper_names(rng, 2 * n))
    places = [(p, c) for c, ps in PLACES.items() for p in ps.split()]
    seen: set[Org] = set()
    out: list[Org] = []
    while len(out) < n:
        place, country = rng.choice(places)
        org = (rng.randrange(len(TYPES)), rng.randrange(len(THEMES)), place, country,
               next(propers) if rng.random() < 0.55 else None)
        if org not in seen:
            seen.add(org)
            out.append(org)
    return out


def _lang(rng: random.Random, country: str) -> int:
    return rng.choice(LANG_OF[country])


def pair_scores(known: KnownOrgs | None) -> tuple[float, float, list[str]]:
    """Precision, recall and the misses on the labelled pairs (add name_a, match name_b)."""
    with PAIRS.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    tp = fp = fn = 0
    misses = []
    for r in rows:
        m = OrgMatcher(known)
        m.add("a", [r["name_a"]], r["country_a"] or None)
        hit = m.match(r["name_b"], r["country_b"] or None) is not None
        gold = r["same"] == "1"
        tp += hit and gold
        fp += hit and not gold
        fn += gold and not hit
        if hit != gold:
            misses.append(f"{'FP' if hit else 'FN'} {r['name_a']} ~ {r['name_b']}  ({r['note']})")
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), misses


def bench_incremental(orgs: list[Org], rng: random.Random, known: KnownOrgs) -> None:
    """A registry of len(orgs) organisations; one document's 20 names matched against it."""
    matcher = OrgMatcher(known)
    t0 = time.perf_counter()
    for i, org in enumerate(orgs):
        matcher.add(str(i), [render(org, _lang(rng, org[3]))], org[3])
    build = time.perf_counter() - t0
    # one document: 10 names of registered organisations in another language, 10 new ones
    queries: list[tuple[str, str, str | None]] = []
    for i in rng.sample(range(len(orgs)), 10):
        queries.append((render(orgs[i], 0 if _lang(rng, orgs[i][3]) else 1), orgs[i][3], str(i)))
    registered = {o[:4] for o in orgs}
    fresh = [o for o in synthetic_orgs(len(orgs) + 50, seed=99) if o[:4] not in registered][:10]
    queries += [(render(o, _lang(rng, o[3])), o[3], None) for o in fresh]
    t0 = time.perf_counter()
    found = [matcher.match(name, country) for name, country, _ in queries]
    took = time.perf_counter() - t0
    right = sum((f.org_id if f else None) == want for f, (_, _, want) in zip(found, queries, strict=True))
    print(f"incremental: registry of {len(orgs):,} built in {build:.1f} s; "
          f"20 names matched in {took * 1000:.0f} ms ({right}/20 resolved as expected)")


def bench_store_incremental(orgs: list[Org], rng: random.Random) -> None:
    """The write path: a SQLite registry of len(orgs) organisations with its blocking index; one new document
    with 20 participants (10 registered organisations written in another language, 10 new ones) is saved —
    organisation matching and activity de-duplication included — in one transaction."""
    import tempfile

    from aidatlas.db.store import name_key
    from aidatlas.ingest.documents import load_bytes
    from aidatlas.records import Activity, Participant, stable_id
    from aidatlas.resolve.organisations import OrgResolver
    from aidatlas.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(database_url=Settings.sqlite_url(Path(tmp) / "orgs.db")))
        t0 = time.perf_counter()
        rows, aliases, ids = [], [], []
        for i, org in enumerate(orgs):
            name = render(org, _lang(rng, org[3]))
            oid = stable_id("org", name_key(name), i)
            ids.append(oid)
            rows.append({"id": oid, "name": name, "country": org[3]})
            aliases.append({"organisation_id": oid, "alias": name, "key": name_key(name)})
        from aidatlas.db.store import ALIASES, ORGANISATIONS

        with store.engine.begin() as conn:
            conn.execute(ORGANISATIONS.insert(), rows)
            conn.execute(ALIASES.insert(), aliases)
            resolver = OrgResolver(conn)
            for start in range(0, len(ids), 5000):
                resolver.index(ids[start:start + 5000])
        build = time.perf_counter() - t0
        registered = {o[:4] for o in orgs}
        fresh = [o for o in synthetic_orgs(len(orgs) + 100, seed=99) if o[:4] not in registered]
        timings = []
        for round_ in range(6):     # the first pays for loading the alias table once per process
            picked = rng.sample(range(len(orgs)), 10)
            names = [(render(orgs[i], 0 if _lang(rng, orgs[i][3]) else 1), orgs[i][3]) for i in picked]
            names += [(render(o, _lang(rng, o[3])), o[3]) for o in fresh[round_ * 10:round_ * 10 + 10]]
            document = load_bytes(f"report-{round_}.txt", "\n".join(n for n, _ in names).encode("utf-8"))
            activity = Activity(id=stable_id("act", document.sha256, 0), kind="project",
                                title={"en": f"Regional civil society programme {round_}"},
                                source={"document": document.name},
                                participants=[Participant(name=n, role="implementer" if k % 2 else "partner",
                                                          country=c) for k, (n, c) in enumerate(names)])
            t0 = time.perf_counter()
            store.save_document(document, [activity])
            timings.append(time.perf_counter() - t0)
        with store.engine.connect() as conn:
            merged = conn.exec_driver_sql("SELECT count(*) FROM merge_decisions WHERE action = 'merge'").scalar()
            proposed = conn.exec_driver_sql("SELECT count(*) FROM merge_candidates WHERE status = 'open'").scalar()
        store.close()
    print(f"store incremental: SQLite registry of {len(orgs):,} organisations (blocking index built in "
          f"{build:.1f} s); a document with 20 participants saved and resolved in "
          f"{timings[0] * 1000:.0f} ms cold (alias table loaded), then median "
          f"{statistics.median(timings[1:]) * 1000:.0f} ms, max {max(timings[1:]) * 1000:.0f} ms over 5 more "
          f"({merged} merged automatically, {proposed} proposed, of 50 registered names)")


def _noisy(name: str, rng: random.Random) -> str:
    """How documents differ: transliterated, a legal form added, a letter swapped, capitals."""
    roll = rng.random()
    if roll < 0.08:
        return cyr_to_lat(name)
    if roll < 0.14:
        return f"NVO {name}" if rng.random() < 0.5 else f"{name}, d.o.o."
    if roll < 0.20:
        words = name.split()
        k = max(range(len(words)), key=lambda j: len(words[j]) if '"' not in words[j] else 0)
        w = words[k]
        if len(w) >= 7:
            j = rng.randrange(2, len(w) - 2)
            words[k] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        return " ".join(words)
    if roll < 0.24:
        return name.upper()
    return name


def bench_cluster(orgs: list[Org], rng: random.Random, n_names: int) -> None:
    """Re-cluster n_names names (1–3 languages per organisation, some noise) from scratch."""
    names: list[tuple[str, str | None]] = []
    truth: list[int] = []
    i = 0
    while len(names) < n_names:
        org = orgs[i % len(orgs)]
        for lang in rng.sample(LANG_OF[org[3]], k=min(len(LANG_OF[org[3]]), rng.choice((1, 1, 2, 3)))):
            names.append((_noisy(render(org, lang), rng), org[3]))
            truth.append(i % len(orgs))
        i += 1
    names, truth = names[:n_names], truth[:n_names]
    t0 = time.perf_counter()
    groups = cluster(names)
    took = time.perf_counter() - t0
    by_truth: dict[int, list[int]] = {}
    for j, t in enumerate(truth):
        by_truth.setdefault(t, []).append(j)
    same_pred = sum(len(m) * (len(m) - 1) // 2 for m in groups)
    same_true = sum(len(m) * (len(m) - 1) // 2 for m in by_truth.values())
    both = sum(1 for m in groups for a in m for b in m if a < b and truth[a] == truth[b])
    print(f"cluster: {len(names):,} names ({len(by_truth):,} organisations) → {len(groups):,} groups "
          f"in {took:.1f} s; pairwise precision {both / max(same_pred, 1):.3f}, "
          f"recall {both / max(same_true, 1):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", action="store_true", help="only the labelled pairs, with misses")
    parser.add_argument("-n", type=int, default=50_000, help="registry / clustering size")
    parser.add_argument("--quick", action="store_true", help="5,000 instead of 50,000 (make bench)")
    parser.add_argument("--store-only", action="store_true", help="only the store's write path (run in a fresh "
                        "process by the full benchmark, so its heap is an ingest process's, not this one's)")
    args = parser.parse_args()
    if args.quick:
        args.n = 5_000
    if args.store_only:
        bench_store_incremental(synthetic_orgs(args.n), random.Random(1))
        return
    known = KnownOrgs.load()
    for label, table in (("with alias table", known), ("rules only", None)):
        p, r, misses = pair_scores(table)
        print(f"labelled pairs ({label}): precision {p:.3f}, recall {r:.3f}")
        if args.pairs:
            print("\n".join("   " + m for m in misses))
    if args.pairs:
        return
    rng = random.Random(1)
    orgs = synthetic_orgs(args.n)
    bench_incremental(orgs, rng, known)
    subprocess.run([sys.executable, __file__, "--store-only", "-n", str(args.n)], check=True)
    bench_cluster(orgs, rng, args.n)


if __name__ == "__main__":
    main()
