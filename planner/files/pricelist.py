"""The AWS Price List for Amazon SES, read as AWS publishes it, into ipcost's price book.

Three forms (FACTS.md, "AWS Price List (Bulk API) for AmazonSES"):

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
import itertools
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from planner.errors import DataFileError
from planner.files.tables import (
    PathLike,
    Price,
    PriceBook,
    RegionCatalog,
    load_regions,
    read_rows,
    read_user_text,
)
from planner.model import limits
from planner.model.checks import as_date

MAP_COLUMNS = ("pattern", "sku", "unit", "scale", "source")


@dataclass(frozen=True)
class UsageMap:
    """One row of the usage-type table: a glob on ``usagetype`` and what it becomes."""

    pattern: str
    sku: str
    unit: str
    scale: int
    """What to multiply the offer's price by (1,000: per email to per 1,000)."""
    source: str


@dataclass(frozen=True)
class PriceList:
    """What the offer files held, as price book rows, and what no map row matched."""

    rows: tuple[Price, ...]
    unmapped: Counter[str]
    """Usage types with no row in the usage-type table, and how many prices each had."""
    files: tuple[str, ...]

    def merged(self, book: PriceBook) -> PriceBook:
        """The whole price book: these rows over ``book``'s. An imported row replaces a
        book row pricing the same SKU, Region, date and tier; other book rows stay (a
        Region's own row wins over a ``*`` row where both are in force)."""
        keys = {(p.sku, p.region, p.effective_from, p.tier_from) for p in self.rows}
        kept = [p for p in book if (p.sku, p.region, p.effective_from, p.tier_from) not in keys]
        return PriceBook([*kept, *self.rows], label=", ".join(self.files))

    def summary(self) -> str:
        """One line: what was imported and what was not mapped."""
        text = f"imported {len(self.rows)} price rows from {', '.join(self.files)}"
        if self.unmapped:
            kinds = ", ".join(f"{k} ({n})" for k, n in sorted(self.unmapped.items()))
            text += (f"; {sum(self.unmapped.values())} prices of {len(self.unmapped)} usage types "
                     f"not mapped to an ipcost SKU (add them with --map): {kinds}")  # fmt: skip
        return text


def load_usage_map(path: PathLike | None = None) -> tuple[UsageMap, ...]:
    """The usage-type table: the shipped one, or a user's CSV with the same columns."""
    label, rows = read_rows(path, "usage_types.csv", MAP_COLUMNS)
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
        out.append(UsageMap(row["pattern"], row["sku"], row["unit"], scale, row["source"]))
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
    for path in paths:
        for offer in _offers(path):
            rows.extend(_rows(path, offer, table, catalog, unmapped))
    _check_tiers(rows, paths)
    return PriceList(tuple(rows), unmapped, tuple(str(p) for p in paths))


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
    usd: str


@dataclass(frozen=True)
class _Offer:
    """One offer's price dimensions, each with its product's attributes."""

    version: str
    published: str
    dimensions: tuple[_Dimension, ...]


def _offers(path: PathLike) -> Iterator[_Offer]:
    text = read_user_text(path)
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            raise DataFileError(path, f"is not complete JSON ({exc}); expected an AWS Price List "
                                "offer file or aws pricing get-products output") from None  # fmt: skip
        if isinstance(data, dict) and isinstance(data.get("PriceList"), list):
            yield from _get_products(path, data["PriceList"])
            return
        yield _json_offer(path, data)
        return
    yield _csv_offer(path, text)


def _service(path: PathLike, code: Any) -> None:
    if code != "AmazonSES":
        raise DataFileError(path, f"is the offer of {code!r}, not AmazonSES; expected the Amazon "
                            "SES price list")  # fmt: skip


def _json_offer(path: PathLike, data: Any) -> _Offer:
    if not isinstance(data, dict) or "products" not in data or "terms" not in data:
        raise DataFileError(path, "has no products and terms; expected an AWS Price List offer "
                            "file (JSON) or aws pricing get-products output")  # fmt: skip
    _service(path, data.get("offerCode"))
    products = data["products"]
    on_demand = (data["terms"] or {}).get("OnDemand", {})
    if not isinstance(products, dict) or not isinstance(on_demand, dict):
        raise DataFileError(path, "products and terms.OnDemand must be objects keyed by SKU")
    dims: list[_Dimension] = []
    for sku, terms in on_demand.items():
        if sku not in products:
            raise DataFileError(path, f"SKU {sku}: a term without a product")
        dims.extend(_dimensions(path, sku, products[sku], terms))
    return _Offer(str(data.get("version", "")), str(data.get("publicationDate", "")), tuple(dims))


def _get_products(path: PathLike, items: list[Any]) -> Iterator[_Offer]:
    for i, item in enumerate(items, start=1):
        try:
            entry = json.loads(item) if isinstance(item, str) else item
        except json.JSONDecodeError:
            raise DataFileError(path, f"PriceList #{i} is not JSON; expected aws pricing "
                                "get-products output") from None  # fmt: skip
        if not isinstance(entry, dict) or "product" not in entry:
            raise DataFileError(path, f"PriceList #{i} has no product")
        _service(path, entry.get("serviceCode"))
        product = entry["product"]
        sku = str(product.get("sku", "")) if isinstance(product, dict) else ""
        terms = ((entry.get("terms") or {}).get("OnDemand") or {}).get(sku, {})
        if not terms:
            raise DataFileError(path, f"SKU {sku or '?'}: a product without an OnDemand term")
        dims = tuple(_dimensions(path, sku, product, terms))
        yield _Offer(str(entry.get("version", "")), str(entry.get("publicationDate", "")), dims)


def _dimensions(path: PathLike, sku: str, product: Any, terms: Any) -> Iterator[_Dimension]:
    """Each price dimension of a SKU's OnDemand terms, with the product's attributes."""
    if not isinstance(product, dict) or not isinstance(product.get("attributes"), dict):
        raise DataFileError(path, f"SKU {sku}: the product has no attributes")
    if not isinstance(terms, dict):
        raise DataFileError(path, f"SKU {sku}: its terms are not an object")
    for term in terms.values():
        if not isinstance(term, dict) or not isinstance(term.get("priceDimensions"), dict):
            raise DataFileError(path, f"SKU {sku}: a term without priceDimensions")
        for dim in term["priceDimensions"].values():
            if not isinstance(dim, dict):
                raise DataFileError(path, f"SKU {sku}: a price dimension is not an object")
            usd = (dim.get("pricePerUnit") or {}).get("USD")
            yield _Dimension(sku, product["attributes"], str(term.get("effectiveDate", "")),
                             str(dim.get("beginRange", "0")), str(dim.get("endRange", "Inf")),
                             str(dim.get("unit", "")), str(usd))  # fmt: skip


def _csv_offer(path: PathLike, text: str) -> _Offer:
    """The CSV offer file: five metadata rows, a header, a row per price dimension."""
    lines = text.splitlines()
    meta = {row[0].strip(): row[1].strip() for row in csv.reader(lines[:5]) if len(row) >= 2}
    if "OfferCode" not in meta:
        raise DataFileError(path, "has neither JSON nor the CSV offer file's metadata rows "
                            "(FormatVersion, ..., OfferCode)")  # fmt: skip
    _service(path, meta["OfferCode"])
    reader = csv.DictReader(io.StringIO("\n".join(lines[5:])))
    dims = []
    for row in reader:
        attributes = {"usagetype": row.get("usageType", ""), "regionCode": row.get("Region Code", ""),
                      "location": row.get("Location", "")}  # fmt: skip
        dims.append(_Dimension(row.get("SKU", ""), attributes, row.get("EffectiveDate", ""),
                               row.get("StartingRange", "0") or "0", row.get("EndingRange", "Inf") or "Inf",
                               row.get("Unit", ""), row.get("PricePerUnit", "")))  # fmt: skip
    return _Offer(meta.get("Version", ""), meta.get("Publication Date", ""), tuple(dims))


def _rows(
    path: PathLike, offer: _Offer, table: Sequence[UsageMap], catalog: RegionCatalog,
    unmapped: Counter[str],
) -> Iterator[Price]:  # fmt: skip
    for dim in offer.dimensions:
        usage = str(dim.attributes.get("usagetype", ""))
        found = next((m for m in table if fnmatch.fnmatchcase(usage, m.pattern)), None)
        if found is None:
            unmapped[usage or "(no usagetype)"] += 1
            continue
        yield Price(
            sku=found.sku, region=_region(path, dim, catalog), unit=found.unit,
            price_cents=_cents(path, dim, found.scale), currency="USD",
            effective_from=_effective(path, dim), effective_to=None,
            tier_from=_range(path, dim, dim.begin) if _tiered(dim) else None,
            tier_to=_range(path, dim, dim.end) if _tiered(dim) else None,
            source=f"AWS Price List AmazonSES offer {offer.version or '?'} (published "
                   f"{offer.published or '?'}), usagetype {usage}; {found.source}",
        )  # fmt: skip


def _region(path: PathLike, dim: _Dimension, catalog: RegionCatalog) -> str:
    code = str(dim.attributes.get("regionCode") or "")
    if code and code in catalog:
        return catalog[code].region
    location = str(dim.attributes.get("location") or "")
    named = [r.region for r in catalog if r.name == location]
    if named:
        return named[0]
    raise DataFileError(path, f"SKU {dim.sku}: Region {code or location or '?'} is not in the "
                        "Region table")  # fmt: skip


def _cents(path: PathLike, dim: _Dimension, scale: int) -> int:
    try:
        price = Decimal(dim.usd) * scale * 100
    except InvalidOperation:
        raise DataFileError(path, f"SKU {dim.sku}: price {dim.usd!r} is not a number") from None
    if not price.is_finite() or price < 0 or price != price.to_integral_value():
        raise DataFileError(path, f"SKU {dim.sku}: price {dim.usd} x {scale} is not a whole "
                            "number of cents")  # fmt: skip
    if price > limits.MAX_FEE_CENTS:
        raise DataFileError(path, f"SKU {dim.sku}: price {dim.usd} x {scale} is above the limit")
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


def _check_tiers(rows: Sequence[Price], paths: Sequence[PathLike]) -> None:
    """Tiers of one SKU, Region and date must not overlap."""
    groups: dict[tuple[str, str, dt.date], list[Price]] = {}
    for p in rows:
        if p.tier_from is not None:
            groups.setdefault((p.sku, p.region, p.effective_from), []).append(p)
    for (sku, region, _), tiers in groups.items():
        tiers.sort(key=lambda p: p.tier_from or 0)
        for a, b in itertools.pairwise(tiers):
            if a.tier_to is None or (b.tier_from or 0) < a.tier_to:
                raise DataFileError(", ".join(str(p) for p in paths),
                                    f"{sku} tiers for {region} overlap at {b.tier_from}")  # fmt: skip
