"""The AWS Price List for Amazon SES, read as AWS publishes it, into ipcost's price book.

Three forms (AWS Billing and Cost Management docs, "Using the bulk API"):

- the JSON offer file, whole or per Region (``formatVersion``, ``offerCode``,
  ``version``, ``publicationDate``, ``products`` by SKU, ``terms.OnDemand`` by SKU);
- the CSV offer file: five metadata rows (FormatVersion, Disclaimer, Publication Date,
  Version, OfferCode), then a header and one row per price dimension;
- saved output of ``aws pricing get-products --service-code AmazonSES``: ``PriceList``,
  an array of JSON strings, each a product with its terms.

A product's price dimensions are joined to it by SKU; its Region comes from
``regionCode`` (else ``location`` through the Region table's names); tiers from
``beginRange``/``endRange`` (``Inf``: open); the effective date from the term. Which
usage types become which of ipcost's SKUs is a table (``planner/data/usage_types.csv``:
a glob on the usage type, the SKU, the unit, a scale from the offer's unit to ipcost's,
and why), which ``--map FILE`` extends; a product no row maps is counted, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from planner.errors import DataFileError
from planner.files.tables import (
    PathLike,
    RegionCatalog,
    load_regions,
    read_rows,
    read_user_text,
)
from planner.model import limits
from planner.model.checks import as_date
from planner.model.pricebook import Price, PriceBook, check_prices

MAP_COLUMNS = ("pattern", "sku", "unit", "scale", "source")
MAP_OPTIONAL = ("offer_units",)


@dataclass(frozen=True)
class UsageMap:
    """One row of the usage-type table: a glob on ``usagetype`` and what it becomes."""

    pattern: str
    sku: str
    unit: str
    scale: int
    """What to multiply the offer's price by (1,000: per email to per 1,000)."""
    source: str
    offer_units: tuple[str, ...] = ()
    """The units the offer may price this usage type in (``Hrs``, ``Emails``); empty: any."""


@dataclass(frozen=True)
class PriceList:
    """What the offer files held, as price book rows, and what no map row matched."""

    rows: tuple[Price, ...]
    unmapped: Counter[str]
    """Usage types with no row in the usage-type table, and how many prices each had."""
    files: tuple[str, ...]
    skipped: Counter[str] = field(default_factory=Counter)
    """Prices of terms other than OnDemand (Reserved, ...), by term type: not imported."""
    warnings: tuple[str, ...] = ()

    def merged(self, book: PriceBook) -> PriceBook:
        """The whole price book: these rows over ``book``'s. An imported row replaces a
        book row pricing the same SKU, Region, date and tier; other book rows stay (a
        Region's own row wins over a ``*`` row where both are in force)."""
        keys = {(p.sku, p.region, p.effective_from, p.tier_from) for p in self.rows}
        kept = [p for p in book if (p.sku, p.region, p.effective_from, p.tier_from) not in keys]
        merged = [*kept, *self.rows]
        label = ", ".join(self.files)
        # checked as a book --prices would be: never a book that one refuses
        return PriceBook(merged, label=label)

    def summary(self) -> str:
        """One line: what was imported and what was not mapped."""
        text = f"imported {len(self.rows)} price rows from {', '.join(self.files)}"
        if self.unmapped:
            kinds = ", ".join(f"{k} ({n})" for k, n in sorted(self.unmapped.items()))
            count = sum(self.unmapped.values())
            text += (f"; {count} price{'s' if count != 1 else ''} of {len(self.unmapped)} usage "
                     f"type{'s' if len(self.unmapped) != 1 else ''} not mapped to an ipcost SKU "
                     f"(add them with --map): {kinds}")  # fmt: skip
        if self.skipped:
            kinds = ", ".join(f"{k} ({n})" for k, n in sorted(self.skipped.items()))
            text += f"; not imported, ipcost prices on demand only: {kinds}"
        return text


def load_usage_map(path: PathLike | None = None) -> tuple[UsageMap, ...]:
    """The usage-type table: the shipped one, or a user's CSV with the same columns."""
    label, rows = read_rows(path, "usage_types.csv", MAP_COLUMNS, (*MAP_COLUMNS, *MAP_OPTIONAL))
    out = []
    for line, row in rows:
        for name in ("pattern", "sku", "unit"):
            if not row[name]:
                raise DataFileError(label, f"{name} is empty", line)
        try:
            scale = int(row["scale"] or "1")
        except ValueError:
            raise DataFileError(
                label, f"scale {row['scale']!r} is not a whole number", line
            ) from None
        if not 1 <= scale <= 1_000_000:
            raise DataFileError(label, f"scale {row['scale']} is not allowed; expected 1 to "
                                "1,000,000 (a scale of 0 would make the price free)", line)  # fmt: skip
        units = tuple(u.strip() for u in row.get("offer_units", "").split("|") if u.strip())
        out.append(UsageMap(row["pattern"], row["sku"], row["unit"], scale, row["source"], units))
    return tuple(out)


def read_price_list(
    paths: Sequence[PathLike],
    *,
    mapping: Sequence[UsageMap] | PathLike | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
) -> PriceList:
    """Price book rows from AWS Price List files for ``AmazonSES`` (see the module).

    ``mapping`` extends the shipped usage-type table (its rows first); a bad file
    (truncated, another service's offer, a term without a product, overlapping tiers, a
    price that is not a number) is one error naming the file and the SKU.
    """
    shipped = load_usage_map()
    extra: tuple[UsageMap, ...] = (
        tuple(mapping or ()) if _is_rows(mapping) else load_usage_map(mapping)  # type: ignore[arg-type]
    )
    table = (*extra, *shipped)
    catalog = load_regions(regions_file)
    rows: list[Price] = []
    unmapped: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    pages = 0
    more: list[str] = []
    for path in paths:
        for offer in _offers(path):
            skipped.update(offer.skipped)
            if offer.page:
                pages += 1
                if offer.next_token:
                    more.append(str(path))
            rows.extend(_rows(path, offer, table, catalog, unmapped))
    warnings = []
    if more and len(more) >= pages:  # every page given says more follow: the last is missing
        warnings.append(f"{more[-1]} has a NextToken: AWS has more pages of prices than the "
                        f"{pages} given; run aws pricing get-products --next-token ... and give "
                        "every page")  # fmt: skip
    label = ", ".join(str(p) for p in paths)
    return PriceList(_dated(rows, label), unmapped, tuple(str(p) for p in paths), skipped,
                     tuple(warnings))  # fmt: skip


def _is_rows(mapping: Any) -> bool:
    return mapping is None or (
        isinstance(mapping, list | tuple) and all(isinstance(m, UsageMap) for m in mapping)
    )


@dataclass(frozen=True)
class _Dimension:
    sku: str
    attributes: Mapping[str, Any]
    effective: str
    begin: str
    end: str
    unit: str
    prices: Mapping[str, Any]
    """pricePerUnit: currency -> price, as written."""
    description: str = ""


@dataclass(frozen=True)
class _Offer:
    """One offer's (or get-products item's) OnDemand price dimensions, each with its
    product's attributes, and what it held besides."""

    version: str
    published: str
    dimensions: tuple[_Dimension, ...]
    skipped: Counter[str] = field(default_factory=Counter)
    page: bool = False
    """A get-products item: its file is a page of output."""
    next_token: bool = False


def _offers(path: PathLike) -> Iterator[_Offer]:
    text = read_user_text(path)
    if text.lstrip().startswith(("{", "[")):
        data = _json(path, text, "an AWS Price List offer file or aws pricing get-products output")
        if isinstance(data, dict) and "PriceList" in data:
            if not isinstance(data["PriceList"], list):
                raise DataFileError(path, "PriceList is not a list; expected aws pricing "
                                    "get-products output")  # fmt: skip
            offers = list(_get_products(path, data["PriceList"]))
            token = bool(data.get("NextToken"))
            yield from (replace(o, next_token=token) for o in offers)
            if not offers and token:
                yield _Offer("", "", (), page=True, next_token=True)
            return
        yield _json_offer(path, data)
        return
    yield _csv_offer(path, text)


def _json(path: PathLike, text: str, expected: str) -> Any:
    """JSON text, or one error (truncated, NaN, nested past any price list, a giant number)."""

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(text, parse_constant=no_constant)
    except RecursionError:
        raise DataFileError(path, f"nests deeper than any AWS price list; expected {expected}"
                            ) from None  # fmt: skip
    except (json.JSONDecodeError, ValueError) as exc:
        raise DataFileError(path, f"is not complete JSON ({str(exc)[:80]}); expected "
                            f"{expected}") from None  # fmt: skip


def _service(path: PathLike, code: Any) -> None:
    if code != "AmazonSES":
        raise DataFileError(path, f"is the offer of {str(code)[:40]!r}, not AmazonSES; expected "
                            "the Amazon SES price list")  # fmt: skip


def _json_offer(path: PathLike, data: Any) -> _Offer:
    if not isinstance(data, dict) or "products" not in data or "terms" not in data:
        raise DataFileError(path, "has no products and terms; expected an AWS Price List offer "
                            "file (JSON) or aws pricing get-products output")  # fmt: skip
    _service(path, data.get("offerCode"))
    products, terms = data["products"], data["terms"]
    if not isinstance(products, dict) or not isinstance(terms, dict):
        raise DataFileError(path, "products and terms must be objects; expected an AWS Price "
                            "List offer file")  # fmt: skip
    on_demand = terms.get("OnDemand", {})
    if not isinstance(on_demand, dict):
        raise DataFileError(path, "terms.OnDemand must be an object keyed by SKU")
    dims: list[_Dimension] = []
    for sku, by_term in on_demand.items():
        if sku not in products:
            raise DataFileError(path, f"SKU {str(sku)[:40]}: a term without a product")
        dims.extend(_dimensions(path, sku, products[sku], by_term))
    skipped = Counter(
        {str(kind)[:40]: _count(v) for kind, v in terms.items() if kind != "OnDemand"}
    )
    return _Offer(str(data.get("version", "")), str(data.get("publicationDate", "")), tuple(dims),
                  +skipped)  # fmt: skip


def _count(by_sku: Any) -> int:
    """Price dimensions under a term type's SKUs (for the summary of what was skipped)."""
    if not isinstance(by_sku, dict):
        return 1
    return sum(len(t.get("priceDimensions") or {}) if isinstance(t, dict) else 1
               for terms in by_sku.values() if isinstance(terms, dict)
               for t in terms.values()) or len(by_sku)  # fmt: skip


def _get_products(path: PathLike, items: list[Any]) -> Iterator[_Offer]:
    """``aws pricing get-products`` output: each item a JSON string of one product, its
    ``terms.OnDemand`` keyed by ``SKU.OfferTermCode`` directly (no SKU level between,
    unlike the offer files)."""
    for i, item in enumerate(items, start=1):
        where = f"PriceList #{i}"
        entry = _json(path, item, "aws pricing get-products output") if isinstance(
            item, str) else item  # fmt: skip
        if not isinstance(entry, dict) or not isinstance(entry.get("product"), dict):
            raise DataFileError(path, f"{where} has no product; expected aws pricing "
                                "get-products output")  # fmt: skip
        _service(path, entry.get("serviceCode"))
        product = entry["product"]
        sku = str(product.get("sku", ""))[:40]
        terms = entry.get("terms")
        if not isinstance(terms, dict) or not isinstance(terms.get("OnDemand"), dict):
            raise DataFileError(path, f"{where} (SKU {sku or '?'}): terms.OnDemand is missing or "
                                "not an object")  # fmt: skip
        on_demand = terms["OnDemand"]
        if sku in on_demand and isinstance(on_demand[sku], dict):
            on_demand = on_demand[sku]  # an offer file's nesting, as some tools save it
        dims = tuple(_dimensions(path, sku, product, on_demand))
        skipped = Counter({str(kind)[:40]: _count({sku: v}) for kind, v in terms.items()
                           if kind != "OnDemand"})  # fmt: skip
        yield _Offer(str(entry.get("version", "")), str(entry.get("publicationDate", "")), dims,
                     +skipped, page=True)  # fmt: skip


def _dimensions(path: PathLike, sku: str, product: Any, terms: Any) -> Iterator[_Dimension]:
    """Each price dimension of a SKU's OnDemand terms, with the product's attributes."""
    if not isinstance(product, dict) or not isinstance(product.get("attributes"), dict):
        raise DataFileError(path, f"SKU {sku}: the product has no attributes")
    if not isinstance(terms, dict):
        raise DataFileError(path, f"SKU {sku}: its OnDemand terms are not an object")
    for term in terms.values():
        if not isinstance(term, dict) or not isinstance(term.get("priceDimensions"), dict):
            raise DataFileError(path, f"SKU {sku}: a term without priceDimensions")
        for dim in term["priceDimensions"].values():
            if not isinstance(dim, dict) or not isinstance(dim.get("pricePerUnit"), dict):
                raise DataFileError(path, f"SKU {sku}: a price dimension without pricePerUnit")
            yield _Dimension(sku, product["attributes"], str(term.get("effectiveDate", "")),
                             str(dim.get("beginRange", "0")), str(dim.get("endRange", "Inf")),
                             str(dim.get("unit", "")), dim["pricePerUnit"],
                             str(dim.get("description", "")))  # fmt: skip


def _csv_offer(path: PathLike, text: str) -> _Offer:
    """The CSV offer file: five metadata rows, a header, a row per price dimension; rows of
    terms other than OnDemand are counted, not read."""
    lines = text.splitlines()
    meta = {row[0].strip(): row[1].strip() for row in csv.reader(lines[:5]) if len(row) >= 2}
    if "OfferCode" not in meta:
        raise DataFileError(path, "has neither JSON nor the CSV offer file's metadata rows "
                            "(FormatVersion, ..., OfferCode)")  # fmt: skip
    _service(path, meta["OfferCode"])
    reader = csv.DictReader(io.StringIO("\n".join(lines[5:])))
    dims = []
    skipped: Counter[str] = Counter()
    for row in reader:
        term = (row.get("TermType") or "OnDemand").strip()
        if term != "OnDemand":
            skipped[term[:40]] += 1
            continue
        attributes = {"usagetype": row.get("usageType", ""), "regionCode": row.get("Region Code", ""),
                      "location": row.get("Location", "")}  # fmt: skip
        dims.append(_Dimension(row.get("SKU", ""), attributes, row.get("EffectiveDate", ""),
                               row.get("StartingRange", "0") or "0", row.get("EndingRange", "Inf") or "Inf",
                               row.get("Unit", ""), {row.get("Currency", "") or "USD": row.get("PricePerUnit", "")},
                               row.get("PriceDescription", "")))  # fmt: skip
    return _Offer(meta.get("Version", ""), meta.get("Publication Date", ""), tuple(dims), skipped)


def _rows(
    path: PathLike, offer: _Offer, table: Sequence[UsageMap], catalog: RegionCatalog,
    unmapped: Counter[str],
) -> Iterator[Price]:  # fmt: skip
    for dim in offer.dimensions:
        usage = str(dim.attributes.get("usagetype", ""))
        found = next((m for m in table if fnmatch.fnmatchcase(usage, m.pattern)), None)
        if found is None:
            unmapped[usage[:60] or "(no usagetype)"] += 1
            continue
        _check_unit(path, dim, found, usage)
        yield Price(
            sku=found.sku, region=_region(path, dim, catalog), unit=found.unit,
            price_cents=_cents(path, dim, found.scale), currency="USD",
            effective_from=_effective(path, dim), effective_to=None,
            tier_from=_range(path, dim, dim.begin) if _tiered(dim) else None,
            tier_to=_range(path, dim, dim.end) if _tiered(dim) else None,
            source=f"AWS Price List AmazonSES offer {offer.version or '?'} (published "
                   f"{offer.published or '?'}), usagetype {usage}; {found.source}",
        )  # fmt: skip


def _check_unit(path: PathLike, dim: _Dimension, found: UsageMap, usage: str) -> None:
    """The offer's unit is one this usage type is priced in; an hourly price of what ipcost
    prices by the month is refused unless the map converts it (a scale above 1)."""
    if found.offer_units and dim.unit not in found.offer_units:
        raise DataFileError(path, f"SKU {dim.sku} (usagetype {usage}): priced per "
                            f"{dim.unit[:40]!r}, not a unit ipcost maps to {found.sku} "
                            f"(expected {' or '.join(found.offer_units)})")  # fmt: skip
    monthly = found.unit.endswith("month")
    hourly = "hour" in dim.description.lower() or dim.unit.lower() in ("ip-hour", "hour")
    if monthly and hourly and found.scale == 1:
        raise DataFileError(path, f"SKU {dim.sku} (usagetype {usage}): priced per hour "
                            f"({dim.description[:60]!r}), and {found.sku} is priced per month; "
                            "convert it with --map (scale: hours in a month)")  # fmt: skip


def _region(path: PathLike, dim: _Dimension, catalog: RegionCatalog) -> str:
    """The Region from regionCode, else the location's name; both given, they must agree."""
    code = str(dim.attributes.get("regionCode") or "")
    location = str(dim.attributes.get("location") or "")
    named = [r.region for r in catalog if _place(r.name) == _place(location)] if location else []
    if code and code in catalog:
        region = catalog[code].region
        if location and named and region not in named:
            raise DataFileError(path, f"SKU {dim.sku}: regionCode {code} but location "
                                f"{location!r} ({', '.join(named)}); they must agree")  # fmt: skip
        return region
    if named and not code:
        return named[0]
    raise DataFileError(path, f"SKU {dim.sku}: Region {(code or location or '?')[:40]} is not in "
                        "the Region table")  # fmt: skip


def _place(name: str) -> str:
    """A Region's place, as the Price List and the Region table both write it: the part in
    parentheses ('EU (Ireland)' and 'Europe (Ireland)' are both 'ireland'), else the name."""
    inside = name[name.find("(") + 1 : name.rfind(")")] if "(" in name else name
    return " ".join(inside.lower().split())


def _dated(rows: Sequence[Price], label: str) -> tuple[Price, ...]:
    """One price per SKU, Region, tier and date (a second, different price for the same is
    an error; the same one twice is kept once); each ends the day before the next one of
    its SKU, Region and tier begins. Sorted once: linear after the sort."""
    order = sorted(rows, key=lambda p: (p.sku, p.region, p.tier_from or -1, p.effective_from))
    out: list[Price] = []
    for p in order:
        last = out[-1] if out else None
        if last is not None and (last.sku, last.region, last.tier_from) == (
                p.sku, p.region, p.tier_from):  # fmt: skip
            if last.effective_from == p.effective_from:
                if last.price_cents != p.price_cents or last.tier_to != p.tier_to:
                    raise DataFileError(label, f"{p.sku} for {p.region} on {p.effective_from} "
                                        f"has two prices, {last.price} and {p.price}; expected "
                                        "one price per SKU and date")  # fmt: skip
                continue
            out[-1] = replace(last, effective_to=p.effective_from - dt.timedelta(days=1))
        out.append(p)
    check_prices(out, label)
    return tuple(out)


def _cents(path: PathLike, dim: _Dimension, scale: int) -> int:
    """The USD price in cents, scaled to ipcost's unit: exact, whole, within the limit."""
    others = [c for c in dim.prices if c != "USD"]
    if "USD" not in dim.prices or others:
        raise DataFileError(path, f"SKU {dim.sku}: priced in {', '.join(map(str, dim.prices))[:40]}; "
                            "ipcost's price book is in USD")  # fmt: skip
    usd = dim.prices["USD"]
    if not isinstance(usd, str | int) or isinstance(usd, bool) or len(str(usd)) > 40:
        raise DataFileError(path, f"SKU {dim.sku}: price {str(usd)[:40]!r} is not a number")
    try:
        price = Decimal(str(usd)) * scale * 100
    except InvalidOperation:
        raise DataFileError(path, f"SKU {dim.sku}: price {usd!r} is not a number") from None
    if not price.is_finite() or price < 0 or price != price.to_integral_value():
        raise DataFileError(path, f"SKU {dim.sku}: price {usd} x {scale} is not a whole "
                            "number of cents")  # fmt: skip
    if price > limits.MAX_FEE_CENTS:
        raise DataFileError(path, f"SKU {dim.sku}: price {usd} x {scale} is above the limit")
    return int(price)


def _effective(path: PathLike, dim: _Dimension) -> dt.date:
    try:
        return as_date("effectiveDate", dim.effective[:10])
    except Exception:
        raise DataFileError(path, f"SKU {dim.sku}: effectiveDate {dim.effective!r} is not a "
                            "date") from None  # fmt: skip


def _tiered(dim: _Dimension) -> bool:
    """A dimension is a tier unless it spans everything (0 to Inf): a flat price."""
    return dim.begin not in ("0", "0.0", "") or dim.end not in ("Inf", "")


def _range(path: PathLike, dim: _Dimension, value: str) -> int | None:
    """A tier boundary [messages]; ``Inf`` is open."""
    if value in ("Inf", ""):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise DataFileError(path, f"SKU {dim.sku}: range {value!r} is not a number") from None
    if number != number.to_integral_value() or not 0 <= number <= limits.MAX_TIER:
        raise DataFileError(path, f"SKU {dim.sku}: range {value} is not a whole number of messages")
    return int(number)
