"""Write the demo data of the repeat_sales addon.

Developer tool, not part of the addon: the user never runs it. It writes the
three files the manifest lists under "demo" (products, customers, and their
sale orders) from the customer stories below, so that a database installed
with demo data opens on a believable customer base: hot, warm and sleeping
customers, regular buyers now past due, a sleeping customer won back by a
recent order, and contacts who never bought. Re-run it after changing a story
and commit the XML it writes (it prints nothing):

    python3 tools/make_demo_data.py

The output is deterministic (fixed random seed) and the dates are relative to
the day the demo data is loaded: every order date is written as
``DateTime.today() - relativedelta(days=N, hour=H, minute=M, second=0)``, a
fixed time of day keeping the date clear of midnight in any time zone. Orders
are created directly in state "sale", not confirmed through action_confirm
(that would move their date to the install day); the addon's post_init_hook
counts them. Their lines are created with ``sale_no_log_for_new_lines`` so
that the orders' chatter gets no "Extra line" message for each of them.

Patterns the "offers" feature mines are built in: whoever bought floor tiles
buys a bathtub, washbasin or faucet some weeks later, and anniversary bouquets
are bought again around the same date a year later.

Each story states the segment (hot: last order at most 30 days ago, warm: at
most 120, sleeping: older) and whether the customer is overdue (last order plus
the average gap between orders is past); the tool checks the orders it makes
against that, with a margin of a few days around every threshold.
"""

import os
import random
import unicodedata
from xml.sax.saxutils import escape

SEED = 20240518
DEMO_DIR = os.path.join(os.path.dirname(__file__), os.pardir, "repeat_sales", "demo")
HORIZON = 545  # days of history: about 18 months
HOT_DAYS, WARM_DAYS = 30, 120  # the company defaults of the addon
MARGIN = 3  # days kept away from every threshold

ADMIN, DEMO = "base.user_admin", "base.user_demo"
NO_LOG = "{'sale_no_log_for_new_lines': True}"
HEADER = '<?xml version="1.0" encoding="utf-8" ?>\n'
GENERATED = (
    "<!-- Written by tools/make_demo_data.py: edit the script, not this file -->"
)

# ---------------------------------------------------------------------------
# Products: key, name, internal reference, category, unit, price, cost
# ---------------------------------------------------------------------------

CATEGORIES = [("home", "Home Improvement"), ("flowers", "Flowers")]
# Units as <field> attributes: m² has no XML id common to Odoo 18.0 and 19.0.
UNIT, SQM = 'ref="uom.product_uom_unit"', "search=\"[('name', '=', 'm²')]\""
PRODUCTS = [
    ("floor_tiles", "Floor Tiles", "HI-FT60", "home", SQM, 24.90, 14.10),
    ("wall_tiles", "Wall Tiles", "HI-WT30", "home", SQM, 19.50, 10.80),
    ("tile_adhesive", "Tile Adhesive", "HI-ADH25", "home", UNIT, 14.90, 8.20),
    ("grout", "Grout", "HI-GRT05", "home", UNIT, 9.50, 4.90),
    ("bathtub", "Bathtub", "HI-BTH170", "home", UNIT, 489.00, 305.00),
    ("washbasin", "Washbasin", "HI-WB60", "home", UNIT, 129.00, 72.00),
    ("faucet", "Faucet", "HI-FCT", "home", UNIT, 89.00, 46.00),
    ("shower_cabinet", "Shower Cabinet", "HI-SHC90", "home", UNIT, 649.00, 410.00),
    (
        "anniversary_bouquet",
        "Anniversary Bouquet",
        "FL-ANB",
        "flowers",
        UNIT,
        59.0,
        27.0,
    ),
    ("wedding_bouquet", "Wedding Bouquet", "FL-WDB", "flowers", UNIT, 149.00, 66.00),
    ("potted_orchid", "Potted Orchid", "FL-ORC", "flowers", UNIT, 34.50, 15.50),
    ("garden_roses", "Garden Roses", "FL-GRS", "flowers", UNIT, 24.00, 10.50),
]
PRICE = {key: price for key, _n, _c, _g, _u, price, _s in PRODUCTS}

# ---------------------------------------------------------------------------
# Places: country code -> phone prefix, streets, {city: (zip, area code, state)}
# ---------------------------------------------------------------------------

COUNTRIES = {
    "ru": (
        "+7",
        ["Tverskaya Street", "Lenina Street", "Sadovaya Street", "Mira Avenue"],
        {
            "Moscow": ("125009", "495", None),
            "Saint Petersburg": ("191186", "812", None),
            "Kazan": ("420111", "843", None),
            "Nizhny Novgorod": ("603005", "831", None),
            "Yekaterinburg": ("620014", "343", None),
            "Novosibirsk": ("630099", "383", None),
            "Samara": ("443099", "846", None),
            "Perm": ("614000", "342", None),
            "Sochi": ("354000", "862", None),
        },
    ),
    "bg": (
        "+359",
        ["Vitosha Boulevard", "Rakovski Street", "Tsar Simeon Street", "Levski Street"],
        {
            "Sofia": ("1000", "2", None),
            "Plovdiv": ("4000", "32", None),
            "Varna": ("9000", "52", None),
            "Burgas": ("8000", "56", None),
            "Kazanlak": ("6100", "431", None),
            "Ruse": ("7000", "82", None),
            "Stara Zagora": ("6000", "42", None),
            "Pleven": ("5800", "64", None),
            "Veliko Tarnovo": ("5000", "62", None),
            "Blagoevgrad": ("2700", "73", None),
        },
    ),
    "hu": (
        "+36",
        ["Andrássy út", "Kossuth Lajos utca", "Petőfi Sándor utca", "Rákóczi út"],
        {
            "Budapest": ("1061", "1", None),
            "Debrecen": ("4024", "52", None),
            "Szeged": ("6720", "62", None),
            "Pécs": ("7621", "72", None),
            "Győr": ("9021", "96", None),
            "Siófok": ("8600", "84", None),
            "Miskolc": ("3525", "46", None),
            "Eger": ("3300", "36", None),
            "Kecskemét": ("6000", "76", None),
        },
    ),
    "de": (
        "+49",
        ["Hauptstraße", "Bahnhofstraße", "Lindenallee", "Gartenweg"],
        {
            "Berlin": ("10115", "30", None),
            "Munich": ("80331", "89", None),
            "Hamburg": ("20095", "40", None),
            "Cologne": ("50667", "221", None),
            "Frankfurt": ("60311", "69", None),
            "Stuttgart": ("70173", "711", None),
            "Leipzig": ("04109", "341", None),
            "Dresden": ("01067", "351", None),
        },
    ),
    "nl": (
        "+31",
        ["Keizersgracht", "Oudegracht", "Coolsingel", "Lange Voorhout"],
        {
            "Amsterdam": ("1016 GV", "20", None),
            "Utrecht": ("3511 AL", "30", None),
            "Rotterdam": ("3011 AD", "10", None),
            "The Hague": ("2514 JL", "70", None),
        },
    ),
    "be": (
        "+32",
        ["Rue Neuve", "Meir", "Veldstraat", "Boulevard d'Avroy"],
        {
            "Brussels": ("1000", "2", None),
            "Antwerp": ("2000", "3", None),
            "Ghent": ("9000", "9", None),
            "Liège": ("4000", "4", None),
        },
    ),
    "fr": (
        "+33",
        ["Rue de la République", "Avenue Jean Médecin", "Rue Sainte-Catherine"],
        {
            "Paris": ("75003", "1", None),
            "Lyon": ("69002", "4", None),
            "Nice": ("06000", "4", None),
            "Bordeaux": ("33000", "5", None),
            "Toulouse": ("31000", "5", None),
        },
    ),
    "gb": (
        "+44",
        ["High Street", "Station Road", "Church Lane", "Victoria Road"],
        {
            "London": ("SE1 7PB", "20", None),
            "Manchester": ("M1 1AE", "161", None),
            "Cheltenham": ("GL50 1QA", "1242", None),
            "Bristol": ("BS1 4DJ", "117", None),
            "Leeds": ("LS1 5AE", "113", None),
            "Edinburgh": ("EH1 1YZ", "131", None),
            "Oxford": ("OX1 3BG", "1865", None),
        },
    ),
    "us": (
        "+1",
        ["Main Street", "Oak Avenue", "Maple Drive", "Park Avenue"],
        {
            "New York": ("11201", "718", "base.state_us_27"),
            "Chicago": ("60614", "312", "base.state_us_14"),
            "San Diego": ("92101", "619", "base.state_us_5"),
            "Austin": ("78701", "512", "base.state_us_44"),
            "Seattle": ("98101", "206", "base.state_us_48"),
            "Denver": ("80202", "303", "base.state_us_6"),
            "Miami": ("33131", "305", "base.state_us_10"),
            "Portland": ("97205", "503", "base.state_us_32"),
        },
    ),
    "pl": (
        "+48",
        ["ulica Floriańska", "ulica Marszałkowska", "ulica Długa"],
        {
            "Kraków": ("31-019", "12", None),
            "Warsaw": ("00-545", "22", None),
            "Gdańsk": ("80-831", "58", None),
        },
    ),
    "at": (
        "+43",
        ["Mariahilfer Straße", "Herrengasse", "Ringstraße"],
        {"Vienna": ("1010", "1", None), "Graz": ("8010", "316", None)},
    ),
    "cz": (
        "+420",
        ["Vinohradská", "Masarykova", "Národní"],
        {"Prague": ("110 00", "224", None), "Brno": ("602 00", "543", None)},
    ),
    "it": (
        "+39",
        ["Via Roma", "Corso Vittorio Emanuele", "Via Garibaldi"],
        {"Milan": ("20121", "02", None), "Rome": ("00186", "06", None)},
    ),
    "es": ("+34", ["Calle Mayor", "Gran Vía"], {"Madrid": ("28013", "91", None)}),
}

COUNTRY_XMLID = {"gb": "uk"}  # base.uk is the United Kingdom

# Marc Demo (base.user_demo) looks after these countries, Mitchell Admin after
# the others; the customers of NO_SALESPERSON have no salesperson.
EAST = {"ru", "bg", "pl", "cz", "at"}
NO_SALESPERSON = {
    "nikita_sorokin",
    "christopher_davis",
    "harry_thompson",
    "ashley_martinez",
    "lena_gruber",
    "chloe_durand",
    "femke_visser",
    "marco_ricci",
    "dimitar_yordanov",
}

# ---------------------------------------------------------------------------
# Customers. Companies: name, country, city, what they buy, contacts.
# Individuals: name, country, city.
# ---------------------------------------------------------------------------

COMPANIES = [
    ("Volga Stroy LLC", "ru", "Nizhny Novgorod", "contractor",
     [("Dmitry Sokolov", "Purchasing Manager"), ("Elena Morozova", "Site Manager")]),
    ("Neva Interiors LLC", "ru", "Saint Petersburg", "contractor",
     [("Anna Kuznetsova", "Interior Designer")]),
    ("Hotel Arbat Garden", "ru", "Moscow", "hotel",
     [("Olga Smirnova", "Front Office Manager")]),
    ("Ural Bathroom Center", "ru", "Yekaterinburg", "retail_bath",
     [("Sergey Lebedev", "Store Manager")]),
    ("Kazan Events Agency", "ru", "Kazan", "events",
     [("Marina Fedorova", "Event Planner"), ("Pavel Orlov", "Director")]),
    ("Café Beryozka", "ru", "Novosibirsk", "cafe", [("Yulia Belova", "Owner")]),
    ("Moscow Office Park Management", "ru", "Moscow", "office",
     [("Natalia Popova", "Office Manager")]),
    ("Sochi Riviera Resort", "ru", "Sochi", "hotel",
     [("Igor Vasiliev", "Operations Manager")]),
    ("Vitosha Build Ltd", "bg", "Sofia", "contractor",
     [("Georgi Ivanov", "Managing Director"), ("Desislava Petrova", "Buyer")]),
    ("Plovdiv Tile House", "bg", "Plovdiv", "retail_tiles",
     [("Stoyan Dimitrov", "Owner")]),
    ("Black Sea Hotel Varna", "bg", "Varna", "hotel",
     [("Maria Georgieva", "Housekeeping Manager")]),
    ("Rose Valley Flowers Ltd", "bg", "Kazanlak", "florist",
     [("Radostina Koleva", "Head Florist")]),
    ("Burgas Renovations EOOD", "bg", "Burgas", "contractor",
     [("Nikolay Todorov", "Owner")]),
    ("Sofia Wedding Studio", "bg", "Sofia", "events",
     [("Yana Stoyanova", "Wedding Planner")]),
    ("Ruse Home Center", "bg", "Ruse", "retail_bath",
     [("Ivaylo Angelov", "Purchasing Manager")]),
    ("Tsarevets Guesthouse", "bg", "Veliko Tarnovo", "cafe",
     [("Petya Nikolova", "Owner")]),
    ("Duna Burkolat Kft.", "hu", "Budapest", "contractor",
     [("László Nagy", "Managing Director"), ("Zsófia Kiss", "Project Coordinator")]),
    ("Balaton Wellness Hotel Zrt.", "hu", "Siófok", "hotel",
     [("Katalin Tóth", "Guest Relations Manager")]),
    ("Debrecen Fürdőszoba Kft.", "hu", "Debrecen", "retail_bath",
     [("Gábor Szabó", "Owner")]),
    ("Szeged Virág Studio", "hu", "Szeged", "florist",
     [("Eszter Horváth", "Florist")]),
    ("Pécs Interior Design Kft.", "hu", "Pécs", "interiors",
     [("Péter Varga", "Architect")]),
    ("Győr Építő Kft.", "hu", "Győr", "contractor", [("Tamás Molnár", "Site Manager")]),
    ("Miskolc Lakberendezés Kft.", "hu", "Miskolc", "interiors",
     [("Judit Farkas", "Interior Designer")]),
    ("Eger Wine Terrace", "hu", "Eger", "cafe",
     [("Balázs Németh", "Restaurant Manager")]),
    ("Rheinbau GmbH", "de", "Cologne", "contractor",
     [("Thomas Becker", "Managing Director"), ("Sabine Hoffmann", "Purchasing")]),
    ("Hotel Lindenhof Berlin", "de", "Berlin", "hotel",
     [("Julia Schneider", "Hotel Manager")]),
    ("Blumenhaus Weber", "de", "Munich", "florist", [("Katrin Weber", "Owner")]),
    ("Bad & Fliese Hamburg GmbH", "de", "Hamburg", "retail_bath",
     [("Jens Krüger", "Store Manager")]),
    ("Van Dijk Installatie B.V.", "nl", "Utrecht", "contractor",
     [("Pieter van Dijk", "Owner")]),
    ("Tulip Events Amsterdam", "nl", "Amsterdam", "events",
     [("Sanne de Vries", "Event Manager")]),
    ("Brasserie Les Tilleuls", "be", "Brussels", "cafe",
     [("Camille Dubois", "Manager")]),
    ("Antwerp Tegels NV", "be", "Antwerp", "retail_tiles",
     [("Koen Peeters", "Sales Manager")]),
    ("Atelier Carrelage Lyon", "fr", "Lyon", "contractor",
     [("Julien Moreau", "Master Tiler")]),
    ("Hôtel du Parc Nice", "fr", "Nice", "hotel", [("Claire Martin", "Hotel Manager")]),
    ("Thames Bathrooms Ltd", "gb", "London", "retail_bath",
     [("Oliver Smith", "Managing Director"), ("Emily Clarke", "Showroom Manager")]),
    ("Cotswold Weddings Ltd", "gb", "Cheltenham", "events",
     [("Sophie Turner", "Wedding Coordinator")]),
    ("Northern Tiling Co.", "gb", "Manchester", "contractor",
     [("James Wilson", "Owner")]),
    ("Brooklyn Renovation Group", "us", "New York", "contractor",
     [("Michael Rodriguez", "Project Manager"), ("Sarah Johnson", "Office Manager")]),
    ("Lakeside Florist", "us", "Chicago", "florist", [("Jennifer Lee", "Owner")]),
    ("Sunset Boutique Hotel", "us", "San Diego", "hotel",
     [("Daniel Kim", "General Manager")]),
    ("Wawel Budownictwo Sp. z o.o.", "pl", "Kraków", "contractor",
     [("Piotr Nowak", "Construction Manager")]),
    ("Wiener Kaffeehaus Mayer", "at", "Vienna", "cafe", [("Lukas Mayer", "Owner")]),
]  # fmt: skip

INDIVIDUALS = [
    ("Alexey Ivanov", "ru", "Moscow"),
    ("Tatiana Volkova", "ru", "Saint Petersburg"),
    ("Mikhail Popov", "ru", "Kazan"),
    ("Svetlana Novikova", "ru", "Samara"),
    ("Andrei Kozlov", "ru", "Novosibirsk"),
    ("Irina Pavlova", "ru", "Moscow"),
    ("Nikita Sorokin", "ru", "Perm"),
    ("Vera Sidorova", "ru", "Yekaterinburg"),
    ("Ivan Petrov", "bg", "Sofia"),
    ("Elena Dimitrova", "bg", "Plovdiv"),
    ("Hristo Georgiev", "bg", "Varna"),
    ("Milena Ivanova", "bg", "Burgas"),
    ("Todor Kolev", "bg", "Sofia"),
    ("Kalina Stefanova", "bg", "Stara Zagora"),
    ("Borislav Marinov", "bg", "Pleven"),
    ("Dimitar Yordanov", "bg", "Blagoevgrad"),
    ("Anna Kovács", "hu", "Budapest"),
    ("Zoltán Szilágyi", "hu", "Budapest"),
    ("Ildikó Balogh", "hu", "Debrecen"),
    ("Attila Papp", "hu", "Szeged"),
    ("Réka Takács", "hu", "Győr"),
    ("Márton Juhász", "hu", "Pécs"),
    ("Noémi Lakatos", "hu", "Kecskemét"),
    ("Markus Fischer", "de", "Frankfurt"),
    ("Anja Wagner", "de", "Stuttgart"),
    ("Stefan Schulz", "de", "Leipzig"),
    ("Laura Richter", "de", "Dresden"),
    ("Jeroen Bakker", "nl", "Rotterdam"),
    ("Femke Visser", "nl", "The Hague"),
    ("Lotte Janssens", "be", "Ghent"),
    ("Mathieu Lambert", "be", "Liège"),
    ("Sophie Bernard", "fr", "Paris"),
    ("Antoine Petit", "fr", "Bordeaux"),
    ("Chloé Durand", "fr", "Toulouse"),
    ("William Brown", "gb", "Bristol"),
    ("Charlotte Evans", "gb", "Leeds"),
    ("Harry Thompson", "gb", "Edinburgh"),
    ("Amelia Wright", "gb", "Oxford"),
    ("Christopher Davis", "us", "Austin"),
    ("Jessica Miller", "us", "Seattle"),
    ("Matthew Garcia", "us", "Denver"),
    ("Ashley Martinez", "us", "Miami"),
    ("Ryan Anderson", "us", "Portland"),
    ("Katarzyna Wiśniewska", "pl", "Warsaw"),
    ("Tomasz Kowalczyk", "pl", "Gdańsk"),
    ("Lena Gruber", "at", "Graz"),
    ("Jana Nováková", "cz", "Prague"),
    ("Ondřej Dvořák", "cz", "Brno"),
    ("Giulia Romano", "it", "Milan"),
    ("Marco Ricci", "it", "Rome"),
    ("Lucía Fernández", "es", "Madrid"),
]

# ---------------------------------------------------------------------------
# Stories: customer key -> (expected segment, expected overdue, orders).
# The orders are built by the story functions below as (days ago, basket).
# ---------------------------------------------------------------------------


def regular(last, gap, first, basket=None):
    """Orders every ``gap`` days (give or take 15 %), the last ``last`` days ago."""
    days, day = [last], last
    while True:
        day += max(3, round(gap * random.uniform(0.85, 1.15)))
        if day > first:
            break
        days.append(day)
    return [(day, basket) for day in days]


def renovation(tiles_day, extra_faucet=False):
    """Floor tiles first, the bathroom some weeks later."""
    bath_day = tiles_day - random.randint(21, 49)
    orders = [(tiles_day, "tiles"), (bath_day, "bath")]
    if extra_faucet:
        orders.append((bath_day - random.randint(10, 20), "faucet"))
    return orders


def anniversaries(*days):
    """The anniversary bouquet, bought around the same date every year."""
    return [(day, "anniversary") for day in days]


def yearly(day):
    """An anniversary and the one a year before it, a few days apart."""
    return anniversaries(day, day + 365 + random.randint(-4, 4))


def build_stories():
    hot, warm, sleeping = "hot", "warm", "sleeping"
    return {
        # Hot: regular buyers on their rhythm.
        "hotel_arbat_garden": (hot, False, regular(3, 18, 230)),
        "black_sea_hotel_varna": (hot, False, regular(11, 35, 460)),
        "balaton_wellness_hotel_zrt": (hot, False, regular(6, 28, 430)),
        "hotel_lindenhof_berlin": (hot, False, regular(2, 21, 270)),
        "vitosha_build_ltd": (hot, False, regular(9, 35, 470)),
        "duna_burkolat_kft": (hot, False, regular(14, 30, 420)),
        "rheinbau_gmbh": (hot, False, regular(20, 42, 520)),
        "brooklyn_renovation_group": (hot, False, regular(5, 45, 450)),
        "rose_valley_flowers_ltd": (hot, False, regular(1, 20, 250)),
        "moscow_office_park_management": (hot, False, regular(7, 30, 400)),
        "volga_stroy_llc": (hot, False, regular(16, 60, 540)),
        # Hot: woken up by a recent order after a long sleep.
        "ural_bathroom_center": (
            hot, False, [(532, None), (468, None), (401, None), (9, None)]
        ),
        "tatiana_volkova": (
            hot, False, [*renovation(505), (12, "anniversary")]
        ),
        "zoltan_szilagyi": (hot, False, [*renovation(430), (14, "tiles")]),
        # Hot: new customers; the floor tile buyers are due for a bathroom.
        "jeroen_bakker": (hot, False, [(12, "tiles")]),
        "kalina_stefanova": (hot, False, [(6, "tiles")]),
        "nikita_sorokin": (hot, False, [(18, "tiles")]),
        "christopher_davis": (hot, False, [(4, "gift")]),
        "wiener_kaffeehaus_mayer": (hot, False, [(4, None)]),
        # Hot: floor tiles some weeks ago, the bathroom now.
        "alexey_ivanov": (hot, False, [(4, "bath"), (40, "tiles")]),
        "anna_kovacs": (hot, False, [(10, "bath"), (52, "tiles")]),
        "ivan_petrov": (hot, False, [(15, "bath"), (47, "tiles"), (2, "faucet")]),
        "markus_fischer": (hot, False, [(21, "bath"), (60, "tiles")]),
        "william_brown": (hot, False, [(8, "bath"), (35, "tiles")]),
        # Hot, yet overdue: weekly-ish buyers who missed their last order.
        "cafe_beryozka": (hot, True, regular(24, 10, 170)),
        "brasserie_les_tilleuls": (hot, True, regular(26, 12, 200)),
        # Hot: yearly anniversary bouquets, occasional gifts.
        "irina_pavlova": (hot, False, yearly(8)),
        "sophie_bernard": (hot, False, [*yearly(15), (200, "gift")]),
        "elena_dimitrova": (hot, False, [(190, "gift"), (95, "gift"), (20, "gift")]),
        # Warm and overdue: a regular rhythm, now past due.
        "neva_interiors_llc": (warm, True, regular(70, 35, 400)),
        "kazan_events_agency": (warm, True, regular(62, 30, 380)),
        "plovdiv_tile_house": (warm, True, regular(85, 40, 480)),
        "szeged_virag_studio": (warm, True, regular(48, 21, 250)),
        "blumenhaus_weber": (warm, True, regular(55, 25, 330)),
        "hotel_du_parc_nice": (warm, True, regular(40, 18, 250)),
        "northern_tiling_co": (warm, True, regular(100, 45, 540)),
        "sochi_riviera_resort": (warm, True, regular(75, 28, 340)),
        "eger_wine_terrace": (warm, True, regular(66, 30, 360)),
        # Warm, on their (slow) rhythm.
        "pecs_interior_design_kft": (warm, False, regular(50, 100, 540)),
        "thames_bathrooms_ltd": (warm, False, regular(38, 90, 500)),
        "van_dijk_installatie_b_v": (warm, False, regular(60, 110, 520)),
        "antwerp_tegels_nv": (warm, False, regular(45, 95, 520)),
        "wawel_budownictwo_sp_z_o_o": (warm, False, regular(70, 120, 540)),
        "miskolc_lakberendezes_kft": (warm, False, regular(55, 105, 500)),
        # Warm: anniversary bouquets a year apart (next one in about ten months).
        "svetlana_novikova": (warm, False, yearly(45)),
        "hristo_georgiev": (warm, False, [*yearly(60), (230, "gift")]),
        "laura_richter": (warm, False, yearly(80)),
        "charlotte_evans": (warm, False, [*yearly(100), (300, "gift")]),
        "jessica_miller": (warm, False, yearly(52)),
        # Warm: a finished renovation, tiles then bathroom.
        "mikhail_popov": (warm, True, renovation(115)),
        "reka_takacs": (warm, True, renovation(130)),
        "anja_wagner": (warm, True, renovation(110, extra_faucet=True)),
        "antoine_petit": (warm, True, renovation(135)),
        "matthew_garcia": (warm, True, renovation(105)),
        # Warm: one order so far.
        "todor_kolev": (warm, False, [(43, "faucet")]),
        "lotte_janssens": (warm, False, [(68, "gift")]),
        "giulia_romano": (warm, False, [(91, "wedding")]),
        "jana_novakova": (warm, False, [(112, "bath")]),
        # Sleeping: regular buyers who stopped.
        "sofia_wedding_studio": (sleeping, True, regular(150, 30, 500)),
        "burgas_renovations_eood": (sleeping, True, regular(200, 40, 520)),
        "gyor_epito_kft": (sleeping, True, regular(260, 35, 540)),
        "tulip_events_amsterdam": (sleeping, True, regular(180, 28, 420)),
        "cotswold_weddings_ltd": (sleeping, True, regular(140, 45, 500)),
        "bad_fliese_hamburg_gmbh": (sleeping, True, regular(310, 50, 545)),
        "lakeside_florist": (sleeping, True, regular(230, 21, 420)),
        # Sleeping: a single order long ago.
        "borislav_marinov": (sleeping, False, [(300, "bath")]),
        "attila_papp": (sleeping, False, [(420, "shower")]),
        "stefan_schulz": (sleeping, False, [(190, "wall_tiles")]),
        "femke_visser": (sleeping, False, [(250, "wedding")]),
        "harry_thompson": (sleeping, False, [(480, "faucet")]),
        "ashley_martinez": (sleeping, False, [(160, "gift")]),
        "tomasz_kowalczyk": (sleeping, False, [(510, "tiles")]),
        # Sleeping: their anniversary comes back in one to three weeks.
        "milena_ivanova": (sleeping, False, anniversaries(352)),
        "amelia_wright": (sleeping, False, anniversaries(358)),
        "marco_ricci": (sleeping, False, anniversaries(347)),
        "ildiko_balogh": (sleeping, False, yearly(140)),
        "lucia_fernandez": (sleeping, False, yearly(170)),
        # Sleeping: an old renovation.
        "andrei_kozlov": (sleeping, True, renovation(300)),
        "marton_juhasz": (sleeping, True, renovation(420, extra_faucet=True)),
        "mathieu_lambert": (sleeping, True, renovation(210)),
        "ryan_anderson": (sleeping, True, renovation(520)),
        # Sleeping: a few orders without a rhythm.
        "tsarevets_guesthouse": (
            sleeping, True, [(480, None), (330, None), (180, None)]
        ),
        "sunset_boutique_hotel": (
            sleeping, True, [(540, None), (470, None), (380, None), (290, None)]
        ),
    }  # fmt: skip


# Never ordered: no confirmed order (some have a quotation, one a cancelled order).
NEVER = [
    "debrecen_furdoszoba_kft",
    "atelier_carrelage_lyon",
    "ruse_home_center",
    "noemi_lakatos",
    "chloe_durand",
    "ondrej_dvorak",
    "lena_gruber",
    "katarzyna_wisniewska",
    "vera_sidorova",
    "dimitar_yordanov",
]

# Quotations still open (draft) and one cancelled order: customer, days, basket.
QUOTATIONS = [
    ("debrecen_furdoszoba_kft", 5, None),
    ("atelier_carrelage_lyon", 12, "tiles_large"),
    ("noemi_lakatos", 3, "shower"),
    ("ondrej_dvorak", 8, "tiles"),
    ("burgas_renovations_eood", 6, None),
    ("jeroen_bakker", 2, "bath"),
    ("hotel_arbat_garden", 1, "wedding"),
]
CANCELLED = [("ruse_home_center", 40, None)]

# ---------------------------------------------------------------------------
# Baskets: what one order holds, as [(product key, quantity)].
# ---------------------------------------------------------------------------


def _some(*choices):
    """Lines for the products given with a probability and a quantity range."""
    lines = []
    for product, chance, low, high in choices:
        if random.random() < chance:
            lines.append((product, random.randint(low, high)))
    return lines


def _bathroom(scale=1):
    main = random.choice(["bathtub", "bathtub", "shower_cabinet"])
    return [
        (main, random.randint(1, scale)),
        ("washbasin", random.randint(1, scale)),
        ("faucet", random.randint(1, 2 * scale)),
    ]


def _tiles(low, high):
    floor = random.randint(low, high)
    lines = [("floor_tiles", floor)]
    lines += _some(("wall_tiles", 0.5, floor // 3, floor // 2 + 1))
    lines += [
        ("tile_adhesive", max(1, floor // 5 + random.randint(0, 2))),
        ("grout", max(1, floor // 15 + random.randint(0, 1))),
    ]
    return lines


BASKETS = {
    "tiles": lambda: _tiles(12, 45),
    "tiles_large": lambda: _tiles(150, 320),
    "wall_tiles": lambda: [("wall_tiles", random.randint(10, 25)), ("grout", 2)],
    "bath": lambda: _bathroom(),
    "shower": lambda: [("shower_cabinet", 1), ("faucet", 1)],
    "faucet": lambda: [("faucet", random.randint(1, 2))],
    "anniversary": lambda: (
        [("anniversary_bouquet", 1)] + _some(("potted_orchid", 0.3, 1, 1))
    ),
    "gift": lambda: (
        _some(("potted_orchid", 0.7, 1, 2), ("garden_roses", 0.5, 1, 3))
        or [("potted_orchid", 1)]
    ),
    "wedding": lambda: [("wedding_bouquet", 1), ("garden_roses", random.randint(2, 4))],
    "hotel": lambda: (
        [
            ("garden_roses", random.randint(4, 12)),
            ("potted_orchid", random.randint(2, 8)),
        ]
        + _some(("anniversary_bouquet", 0.15, 1, 2))
    ),
    "cafe": lambda: (
        [("garden_roses", random.randint(2, 6))] + _some(("potted_orchid", 0.5, 1, 3))
    ),
    "office": lambda: (
        [("potted_orchid", random.randint(4, 12))] + _some(("garden_roses", 0.6, 2, 6))
    ),
    "florist": lambda: (
        [
            ("potted_orchid", random.randint(10, 30)),
            ("garden_roses", random.randint(10, 30)),
        ]
        + _some(("wedding_bouquet", 0.3, 1, 3), ("anniversary_bouquet", 0.3, 2, 6))
    ),
    "events": lambda: (
        [
            ("wedding_bouquet", random.randint(2, 8)),
            ("garden_roses", random.randint(10, 40)),
        ]
        + _some(("potted_orchid", 0.4, 2, 6))
    ),
    "retail_tiles": lambda: [
        ("floor_tiles", random.randint(80, 300)),
        ("wall_tiles", random.randint(40, 150)),
        ("tile_adhesive", random.randint(20, 60)),
        ("grout", random.randint(10, 30)),
    ],
    "retail_bath": lambda: _bathroom(scale=4),
    "contractor_tiles": lambda: _tiles(40, 140),
    "contractor_bath": lambda: _bathroom(scale=3),
    "interiors_tiles": lambda: _tiles(30, 90),
    "interiors_bath": lambda: _bathroom(scale=2),
}


def company_basket(kind, rank):
    """A company's usual order; builders buy tiles first, the bathroom next."""
    if kind in ("contractor", "interiors"):
        return BASKETS[f"{kind}_{'tiles' if rank % 2 == 0 else 'bath'}"]()
    return BASKETS[kind]()


# ---------------------------------------------------------------------------
# Building the records
# ---------------------------------------------------------------------------


def slug(text):
    text = text.replace("&", " ").replace("ł", "l").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def phone(country, city):
    prefix, _streets, cities = COUNTRIES[country]
    area = cities[city][1]
    if country == "us":  # 555-01xx: the numbers kept for fiction
        return f"{prefix} {area}-555-01{random.randint(0, 99):02d}"
    if country == "gb":  # the London drama range, in every area
        return f"{prefix} {area} 496 0{random.randint(0, 999):03d}"
    digits = f"{random.randint(0, 9999999):07d}"
    return f"{prefix} {area} {digits[:3]} {digits[3:]}"


def address(country, city):
    _prefix, streets, cities = COUNTRIES[country]
    zip_code, _area, state = cities[city]
    number = random.randint(1, 120)
    street = random.choice(streets)
    if country in ("us", "gb", "fr"):
        street = f"{number} {street}"
    else:
        street = f"{street} {number}"
    return {"street": street, "city": city, "zip": zip_code, "state": state}


def make_partners():
    """Customers as dicts, in the order they are written."""
    partners = []
    for name, country, city, kind, contacts in COMPANIES:
        key = slug(name)
        domain = f"{slug(name).replace('_', '-')}.example.com"
        partners.append(
            {
                "key": key,
                "name": name,
                "company": True,
                "kind": kind,
                "country": country,
                "email": f"info@{domain}",
                "phone": phone(country, city),
                "website": f"https://www.{domain}",
                **address(country, city),
                "contacts": [
                    {
                        "key": f"{key}_{slug(contact.split()[0])}",
                        "name": contact,
                        "function": function,
                        "email": f"{slug(contact).replace('_', '.')}@{domain}",
                        "phone": phone(country, city),
                    }
                    for contact, function in contacts
                ],
            }
        )
    for name, country, city in INDIVIDUALS:
        partners.append(
            {
                "key": slug(name),
                "name": name,
                "company": False,
                "kind": None,
                "country": country,
                "email": f"{slug(name).replace('_', '.')}@example.com",
                "phone": phone(country, city),
                "website": None,
                **address(country, city),
                "contacts": [],
            }
        )
    for partner in partners:
        if partner["key"] in NO_SALESPERSON:
            partner["user"] = None
        else:
            partner["user"] = DEMO if partner["country"] in EAST else ADMIN
    return partners


def figures(days):
    """Segment and overdue flag, as the addon computes them from order dates."""
    last, first, count = min(days), max(days), len(days)
    segment = "hot" if last <= HOT_DAYS else "warm" if last <= WARM_DAYS else "sleeping"
    overdue = None
    if count > 1:
        gap = (first - last) / (count - 1)
        overdue = last > gap  # the expected next order is already past
        if abs(last - gap) < MARGIN:
            raise ValueError(f"last order {last} days ago too close to the gap {gap}")
    if min(abs(last - HOT_DAYS), abs(last - WARM_DAYS)) < MARGIN:
        raise ValueError(f"last order {last} days ago too close to a threshold")
    return segment, bool(overdue)


def make_orders(partners, stories):
    by_key = {partner["key"]: partner for partner in partners}
    unknown = (set(stories) | set(NEVER)) - set(by_key)
    missing = set(by_key) - set(stories) - set(NEVER)
    if unknown or missing or set(stories) & set(NEVER):
        raise ValueError(f"stories do not match customers: {unknown} {missing}")
    orders = []
    for key, (segment, overdue, story) in stories.items():
        days = [day for day, _basket in story]
        if max(days) > HORIZON or len(set(days)) != len(days):
            raise ValueError(f"{key}: orders beyond the horizon or on the same day")
        if figures(days) != (segment, overdue):
            raise ValueError(f"{key}: {figures(days)} instead of {segment, overdue}")
        for rank, (day, basket) in enumerate(sorted(story, reverse=True)):
            orders.append(make_order(by_key[key], day, basket, rank, "sale"))
    for state, entries in (("draft", QUOTATIONS), ("cancel", CANCELLED)):
        for key, day, basket in entries:
            orders.append(make_order(by_key[key], day, basket, 0, state))
    # Oldest first: the order numbers then follow the dates.
    orders.sort(key=lambda order: (-order["day"], order["hour"], order["minute"]))
    counters = {}
    for order in orders:
        rank = counters[order["partner"]] = counters.get(order["partner"], 0) + 1
        order["key"] = f"{order['partner']}_{rank:02d}"
    return orders


def make_order(partner, day, basket, rank, state):
    if basket:
        lines = BASKETS[basket]()
    else:
        lines = company_basket(partner["kind"], rank)
    # A company's contacts place about half of its orders.
    ordered_by = partner
    if partner["contacts"] and random.random() < 0.5:
        ordered_by = random.choice(partner["contacts"])
    return {
        "partner": partner["key"],
        "ordered_by": ordered_by["key"],
        "user": partner["user"] or random.choice([ADMIN, DEMO]),
        "day": day,
        "hour": random.randint(8, 17),
        "minute": random.randrange(0, 60, 5),
        "state": state,
        "lines": lines,
    }


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------


def field(name, value=None, ref=None, evaluate=None):
    if ref:
        return f'        <field name="{name}" ref="{ref}" />'
    if evaluate:
        value = escape(evaluate, {'"': "&quot;"})
        return f'        <field name="{name}" eval="{value}" />'
    return f'        <field name="{name}">{escape(str(value))}</field>'


def record(xml_id, model, fields, context=None):
    context = f' context="{context}"' if context else ""
    opening = f'    <record id="{xml_id}" model="{model}"{context}>'
    return [opening, *fields, "    </record>"]


def document(lines, comment):
    body = "\n".join(lines)
    top = f'{HEADER}<odoo noupdate="1">\n    {GENERATED}\n    <!-- {comment} -->\n'
    return f"{top}{body}\n</odoo>\n"


def products_xml():
    lines = []
    for key, name in CATEGORIES:
        lines += record(
            f"demo_product_category_{key}",
            "product.category",
            [
                # Top-level: 19.0 has no "All" category to put them under.
                field("name", name),
            ],
        )
    for key, name, code, category, uom, price, cost in PRODUCTS:
        lines += record(
            f"demo_product_{key}",
            "product.product",
            [
                field("name", name),
                field("default_code", code),
                field("categ_id", ref=f"demo_product_category_{category}"),
                field("type", "consu"),
                field("sale_ok", evaluate="True"),
                field("list_price", f"{price:.2f}"),
                field("standard_price", f"{cost:.2f}"),
                # 18.0 computes the purchase unit (uom_po_id, gone in 19.0) from it.
                f'        <field name="uom_id" {uom} />',
            ],
        )
    return document(lines, "A home-improvement and flowers catalogue.")


def partner_fields(partner):
    country = partner["country"]
    fields = [field("name", partner["name"])]
    if partner["company"]:
        fields.append(field("is_company", evaluate="True"))
    fields += [
        field("street", partner["street"]),
        field("city", partner["city"]),
        field("zip", partner["zip"]),
    ]
    if partner["state"]:
        fields.append(field("state_id", ref=partner["state"]))
    fields += [
        field("country_id", ref=f"base.{COUNTRY_XMLID.get(country, country)}"),
        field("email", partner["email"]),
        field("phone", partner["phone"]),
    ]
    if partner["website"]:
        fields.append(field("website", partner["website"]))
    if partner["user"]:
        fields.append(field("user_id", ref=partner["user"]))
    fields.append(field("customer_rank", 1))
    return fields


def partners_xml(partners):
    lines = []
    for partner in partners:
        xml_id = f"demo_partner_{partner['key']}"
        lines += record(xml_id, "res.partner", partner_fields(partner))
        for contact in partner["contacts"]:
            contact_fields = [
                field("name", contact["name"]),
                field("parent_id", ref=xml_id),
                field("function", contact["function"]),
                field("email", contact["email"]),
                field("phone", contact["phone"]),
            ]
            if partner["user"]:
                contact_fields.append(field("user_id", ref=partner["user"]))
            contact_id = f"demo_partner_{contact['key']}"
            lines += record(contact_id, "res.partner", contact_fields)
    return document(lines, "Customers: companies with their contacts, and individuals.")


def date_eval(order):
    delta = "days={day}, hour={hour}, minute={minute}, second=0".format(**order)
    return f"(DateTime.today() - relativedelta({delta})).strftime('%Y-%m-%d %H:%M:%S')"


def orders_xml(orders):
    lines = []
    for order in orders:
        xml_id = f"demo_order_{order['key']}"
        order_fields = [
            field("partner_id", ref=f"demo_partner_{order['ordered_by']}"),
            field("user_id", ref=order["user"]),
            field("date_order", evaluate=date_eval(order)),
        ]
        if order["state"] != "draft":
            order_fields.append(field("state", order["state"]))
        lines += record(xml_id, "sale.order", order_fields)
        for number, (product, quantity) in enumerate(order["lines"], start=1):
            line_fields = [
                field("order_id", ref=xml_id),
                field("product_id", ref=f"demo_product_{product}"),
                field("product_uom_qty", quantity),
                field("price_unit", f"{PRICE[product]:.2f}"),
            ]
            line_id = f"{xml_id}_line_{number}"
            lines += record(line_id, "sale.order.line", line_fields, NO_LOG)
    return document(lines, "Orders in state sale (never action_confirm), quotations.")


def main():
    random.seed(SEED)
    partners = make_partners()
    orders = make_orders(partners, build_stories())
    files = {
        "product_demo.xml": products_xml(),
        "res_partner_demo.xml": partners_xml(partners),
        "sale_order_demo.xml": orders_xml(orders),
    }
    for name, content in files.items():
        with open(os.path.join(DEMO_DIR, name), "w", encoding="utf-8") as output:
            output.write(content)


if __name__ == "__main__":
    main()
