# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The demo's customer base as plain data: who buys what, and when.

Pure Python, no ORM: ``customers(rng)`` describes every customer and
``order_plan(rng, customer)`` the days (counted back from the install day) and
baskets of their orders. ``repeat.sales.demo`` turns this into records.
"""

from datetime import datetime, time, timedelta

from ... import compat

# (key, name, internal reference, category, unit, price, cost)
PRODUCTS = [
    ("floor_tiles", "Floor Tiles", "HI-FT60", "home", "sqm", 24.9, 14.1),
    ("wall_tiles", "Wall Tiles", "HI-WT30", "home", "sqm", 19.5, 10.8),
    ("tile_adhesive", "Tile Adhesive", "HI-ADH25", "home", "unit", 14.9, 8.2),
    ("grout", "Grout", "HI-GRT05", "home", "unit", 9.5, 4.9),
    ("bathtub", "Bathtub", "HI-BTH170", "home", "unit", 489.0, 305.0),
    ("washbasin", "Washbasin", "HI-WB60", "home", "unit", 129.0, 72.0),
    ("faucet", "Faucet", "HI-FCT", "home", "unit", 89.0, 46.0),
    ("shower", "Shower Cabinet", "HI-SHC90", "home", "unit", 649.0, 410.0),
    ("bouquet", "Anniversary Bouquet", "FL-ANB", "flowers", "unit", 59.0, 27.0),
    ("wedding", "Wedding Bouquet", "FL-WDB", "flowers", "unit", 149.0, 66.0),
    ("orchid", "Potted Orchid", "FL-ORC", "flowers", "unit", 34.5, 15.5),
    ("roses", "Garden Roses", "FL-GRS", "flowers", "unit", 24.0, 10.5),
]  # fmt: skip
UNITS = {"sqm": compat.UOM_SQUARE_METER, "unit": "uom.product_uom_unit"}
CATEGORIES = {"home": "Home Improvement", "flowers": "Flowers"}

# Baskets: (product key, lowest quantity, highest quantity) lines.
BASKETS = {
    "tiling": [("floor_tiles", 12, 40), ("tile_adhesive", 2, 6), ("grout", 1, 4)],
    "walls": [("wall_tiles", 8, 25), ("tile_adhesive", 1, 3)],
    "repair": [("grout", 1, 3), ("tile_adhesive", 1, 2)],
    "bath": [("bathtub", 1, 1), ("faucet", 1, 1)],
    "basin": [("washbasin", 1, 1), ("faucet", 1, 1)],
    "shower": [("shower", 1, 1)],
    "bouquet": [("bouquet", 1, 2)],
    "wedding": [("wedding", 1, 3), ("roses", 2, 6)],
    "plants": [("orchid", 1, 4), ("roses", 1, 5)],
}
BATHROOM = ["bath", "basin", "basin", "shower"]
HOME_BASKETS = ["tiling", "walls", "repair", "repair"]
FLOWER_BASKETS = ["plants", "plants", "plants", "wedding"]

FIRST_NAMES = (
    "Anna Ben Clara David Elena Felix Grace Hugo Iris Jonas Kate Leo Maria Noah "
    "Olivia Paul Rosa Sam Tina Victor Wendy Yann Zoe Marc Lina Omar Nora Ivan"
).split()
LAST_NAMES = (
    "Archer Baker Carter Dubois Evans Fischer Garcia Hansen Ivanova Jensen Keller "
    "Lambert Martin Novak Olsen Peters Quinn Rossi Schmidt Turner Urban Vidal "
    "Weber Young Zimmer Moreau Brandt Costa Fontaine Horvat"
).split()
CITIES = "Antwerp Brussels Ghent Leuven Namur Liege Bruges Mons Hasselt Mechelen"
CITIES = CITIES.split()
COMPANY_PATTERNS = {
    "home": ["{last} Tiling", "{last} & Sons Bathrooms", "{last} Renovations"],
    "flowers": ["{first}'s Flowers", "{last} Events", "Hotel {last}"],
}

# Segment counts and the span of days since the last order of each. Enough
# repeat customers for the customer value model (BG/NBD) to determine its
# parameters: with 160 it ran off to a boundary on some draws, with 240 it
# converges on 18 of 20 draws tried (the demo's seed included).
SEGMENT_PLAN = [
    ("hot", 70, 1, 27),
    ("warm", 75, 34, 115),
    ("sleeping", 95, 126, 420),
]
NEVER_ORDERED = 22
HISTORY_DAYS = 545
WON_BACK = 6  # hot customers whose previous order was long ago


def customers(rng):
    """Every customer of the demo: a list of dicts, in a fixed order."""
    result = []
    index = 0
    for segment, count, low, high in [*SEGMENT_PLAN, ("never", NEVER_ORDERED, 0, 0)]:
        for position in range(count):
            trade = "home" if rng.random() < 0.6 else "flowers"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            is_company = rng.random() < 0.55
            name = (
                rng.choice(COMPANY_PATTERNS[trade]).format(first=first, last=last)
                if is_company
                else f"{first} {last}"
            )
            result.append(
                {
                    "index": index,
                    "name": f"{name} ({CITIES[index % len(CITIES)]})",
                    "is_company": is_company,
                    "email": (
                        f"{first}.{last}{index}@example.com".lower()
                        if rng.random() < 0.85
                        else False
                    ),
                    "phone": f"+32 4{rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "city": CITIES[index % len(CITIES)],
                    "trade": trade,
                    "segment": segment,
                    "last_days": rng.randint(low, high) if count else 0,
                    # Even positions are the salesperson's, odd ones the manager's,
                    # every fifth nobody's: each owner has every segment.
                    "owner": (
                        "none"
                        if position % 5 == 4
                        else ("sales" if position % 2 == 0 else "manager")
                    ),
                    "won_back": segment == "hot" and position < WON_BACK,
                    "gap": rng.randint(*{"hot": (40, 90)}.get(segment, (60, 140))),
                    # How much the customer buys at a time (a hotel more than
                    # a household): the order value model (Gamma-Gamma) needs
                    # order values that differ between customers to converge.
                    "scale": rng.gammavariate(3, 1 / 3),
                }
            )
            index += 1
    return result


def _order_days(rng, customer):
    """Days since each order of the customer, oldest first."""
    last = customer["last_days"]
    if rng.random() < 0.8:
        oldest = rng.randint(380, HISTORY_DAYS)  # twelve months and more
    else:
        oldest = rng.randint(min(last + 30, 360), 360)  # a newer customer
    days = [last]
    if customer["won_back"]:
        days.append(last + rng.randint(140, 200))
    day = days[-1]
    while True:
        # Orders come as a Poisson process (exponential gaps around the
        # customer's mean gap), as the value model assumes: evenly spaced
        # orders gave it no dropout to measure, and it did not converge.
        day += max(7, round(rng.expovariate(1 / customer["gap"])))
        if day > oldest:
            break
        days.append(day)
    return sorted(days, reverse=True)


def order_plan(rng, customer):
    """[(days ago, [(product key, quantity)])] of the customer, oldest first.

    Home customers: a tiling order is mostly followed by a bathroom one (the
    "bought next" rules); flower customers buy an anniversary bouquet every
    year around the same day (the "bought again" rule).
    """
    if customer["segment"] == "never":
        return []
    days = _order_days(rng, customer)
    plan = []
    anniversary = rng.randint(0, 364)
    for position, day in enumerate(days):
        if customer["trade"] == "home":
            if position == len(days) - 1 and customer["segment"] == "warm":
                basket = "tiling"  # due for a bathroom: offers show today
            else:
                basket = rng.choice(HOME_BASKETS)
        else:
            basket = rng.choice(FLOWER_BASKETS)
        plan.append((day, _lines(rng, basket, customer["scale"])))
        # A new floor, then a new bathroom some weeks later.
        bathroom_day = day - rng.randint(21, 70)
        if basket == "tiling" and bathroom_day > days[-1] and rng.random() < 0.8:
            bathroom = rng.choice(BATHROOM)
            plan.append((bathroom_day, _lines(rng, bathroom, customer["scale"])))
    if customer["trade"] == "flowers" and customer["segment"] != "sleeping":
        for year in (0, 1):
            day = anniversary + 365 * year
            if customer["last_days"] < day <= HISTORY_DAYS:
                plan.append((day, _lines(rng, "bouquet", customer["scale"])))
    return sorted(plan, key=lambda item: -item[0])


def _lines(rng, basket, scale=1.0):
    return [
        (key, max(1, round(rng.randint(low, high) * scale)))
        for key, low, high in BASKETS[basket]
    ]


# The stamp program's tiers, and the gift (a product key) of each.
TIERS = [
    {"name": "Bronze", "min_spend": 0, "gift_value_limit": 50},
    {"name": "Silver", "min_spend": 1500, "gift_value_limit": 100},
    {
        "name": "Gold",
        "min_spend": 4000,
        "gift_value_limit": 200,
        "stamp_multiplier": 1.5,
    },
]
GIFTS = ["orchid", "faucet", "washbasin"]

# (outcome, how many) of the calls logged: every outcome of the call dialog.
CALLS = [
    ("will_order", 3),
    ("not_interested", 2),
    ("complaint", 2),
    ("competitor", 2),
    ("call_back", 3),
    ("no_answer", 4),
    ("wrong_number", 1),
    ("do_not_call", 1),
]


def call_details(outcome, rng, today):
    """What the call dialog asks for besides the outcome."""
    if outcome == "will_order":
        return {"promised_date": today + timedelta(days=rng.randint(3, 12))}
    if outcome == "call_back":
        return {"callback_date": today + timedelta(days=rng.randint(1, 10))}
    if outcome == "complaint":
        return {"complaint": "The last delivery came a week late."}
    if outcome in ("competitor", "not_interested"):
        return {"note": "Compared prices with another shop."}
    return {}


def moment(today, days, salt):
    """A moment ``days`` before ``today``, at a time clear of midnight in any zone."""
    return datetime.combine(
        today - timedelta(days=days), time(9 + salt % 8, (salt * 7) % 60)
    )
