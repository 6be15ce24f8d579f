"""CMS-1500 bills of the visits a generated packet documents.

A bill lists (date of service, code, rendering provider) lines, ten to a page, each with its
charge and units, so the billed-service audit matches every line against a note of that day.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from bench.clinical import us
from bench.documents import BLANK, Line, Page, Record
from bench.story import CLAIM, CLAIMANT, DOB, Facility


def bill(
    rng: random.Random,
    facility: Facility,
    services: Sequence[tuple[date, str, str]],
    injury: date,
) -> Record:
    """A CMS-1500 listing (date, code, provider) services, ten lines a page."""
    charges = {"97110": 58.0, "97140": 54.0, "97530": 62.0, "97112": 60.0, "99213": 145.0}
    per_page = 10
    chunks = [services[i : i + per_page] for i in range(0, len(services), per_page)]
    pages = []
    account = rng.randint(10000, 99999)
    for k, chunk in enumerate(chunks, 1):
        lines: list[Line] = [
            ("title", "HEALTH INSURANCE CLAIM FORM (CMS-1500 02/12) - CLAIM SUMMARY"),
            (
                "text",
                "PAYER: Lone Star Workers' Compensation Mutual, P.O. Box 14920, Austin, TX 78761",
            ),
            ("text", f"1a. INSURED'S ID NUMBER: {CLAIM}          PATIENT'S ACCOUNT NO.: {account}"),
            ("text", f"2. PATIENT'S NAME: {CLAIMANT}     3. PATIENT'S BIRTH DATE: {DOB}  SEX: F"),
            ("text", "10a. CONDITION RELATED TO EMPLOYMENT: YES   10b. AUTO ACCIDENT: NO"),
            ("text", f"14. DATE OF CURRENT ILLNESS, INJURY: {us(injury)} (QUAL 431)"),
            ("text", "21. DIAGNOSIS: A. S39.012A  B. M54.16  C. S46.011A"),
            ("head", "24. SERVICE LINES"),
            (
                "mono",
                "#   A. DATE OF SERVICE      B.POS  D.CPT   E.DX  F.CHARGES  G.UNITS  J.RENDERING PROVIDER (NPI)",
            ),
        ]
        total = 0.0
        for i, (day, code, provider) in enumerate(chunk, 1 + (k - 1) * per_page):
            units = rng.randint(1, 2) if code.startswith("97") else 1
            amount = charges.get(code, 120.0) * units
            total += amount
            lines.append(
                (
                    "mono",
                    f"{i:<3} {us(day)}-{us(day)}  11     {code}   AB    {amount:>8.2f}   {units}        {provider} ({facility.npi})",
                )
            )
        lines += [
            BLANK,
            ("text", f"28. TOTAL CHARGE (this page): ${total:,.2f}     29. AMOUNT PAID: $0.00"),
            (
                "text",
                f"32. SERVICE FACILITY: {facility.name.title()}, {facility.address.split('   ')[0]}",
            ),
            ("text", f"33. BILLING PROVIDER: {facility.name.title()}   NPI {facility.npi}"),
        ]
        footer = f"{facility.name.title()} - claim form, page {k} of {len(chunks)}"
        pages.append(Page(tuple(lines), footer))
    return Record("billing", services[-1][0], tuple(pages))
