"""Places: US cities (with state, metro area, ZIP base and area codes) and cities abroad."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UsCity:
    city: str
    state: str
    state_name: str
    metro: str
    zip_base: int
    area_codes: tuple[int, ...]
    weight: float


@dataclass(frozen=True)
class ForeignCity:
    city: str
    region: str
    country: str
    phone_prefix: str
    weight: float


def _us(
    city: str, state: str, state_name: str, metro: str, zip_base: int, codes: str, weight: float
) -> UsCity:
    return UsCity(
        city, state, state_name, metro, zip_base, tuple(int(c) for c in codes.split()), weight
    )


US_CITIES: tuple[UsCity, ...] = (
    _us("New York", "NY", "New York", "Greater New York City Area", 10001, "212 646 917", 9),
    _us("Brooklyn", "NY", "New York", "Greater New York City Area", 11201, "718 347", 3),
    _us("Jersey City", "NJ", "New Jersey", "Greater New York City Area", 7302, "201 551", 3),
    _us("Newark", "NJ", "New Jersey", "Greater New York City Area", 7102, "973 862", 2),
    _us("Edison", "NJ", "New Jersey", "Greater New York City Area", 8817, "732 848", 2),
    _us("Boston", "MA", "Massachusetts", "Greater Boston", 2108, "617 857", 4),
    _us("Cambridge", "MA", "Massachusetts", "Greater Boston", 2139, "617 857", 1.5),
    _us(
        "Springfield",
        "MA",
        "Massachusetts",
        "Springfield, Massachusetts Metropolitan Area",
        1103,
        "413",
        0.6,
    ),
    _us("Philadelphia", "PA", "Pennsylvania", "Greater Philadelphia", 19102, "215 267", 3),
    _us("Pittsburgh", "PA", "Pennsylvania", "Greater Pittsburgh Region", 15222, "412", 1.5),
    _us(
        "Washington",
        "DC",
        "District of Columbia",
        "Washington DC-Baltimore Area",
        20001,
        "202",
        2.5,
    ),
    _us("Arlington", "VA", "Virginia", "Washington DC-Baltimore Area", 22201, "703 571", 2),
    _us("Reston", "VA", "Virginia", "Washington DC-Baltimore Area", 20190, "703 571", 1.5),
    _us("Richmond", "VA", "Virginia", "Greater Richmond Region", 23219, "804", 1),
    _us("Baltimore", "MD", "Maryland", "Washington DC-Baltimore Area", 21201, "410 443", 1.5),
    _us("Atlanta", "GA", "Georgia", "Atlanta Metropolitan Area", 30303, "404 470 678", 4),
    _us("Alpharetta", "GA", "Georgia", "Atlanta Metropolitan Area", 30005, "770 678", 1.5),
    _us("Charlotte", "NC", "North Carolina", "Charlotte Metro", 28202, "704 980", 2.5),
    _us("Raleigh", "NC", "North Carolina", "Raleigh-Durham-Chapel Hill Area", 27601, "919 984", 2),
    _us("Durham", "NC", "North Carolina", "Raleigh-Durham-Chapel Hill Area", 27701, "919", 1),
    _us("Miami", "FL", "Florida", "Miami-Fort Lauderdale Area", 33130, "305 786", 2.5),
    _us("Tampa", "FL", "Florida", "Tampa Bay Area", 33602, "813", 2),
    _us("Orlando", "FL", "Florida", "Orlando, Florida Area", 32801, "407 321", 1.5),
    _us("Jacksonville", "FL", "Florida", "Jacksonville, Florida Area", 32202, "904", 1.5),
    _us("Chicago", "IL", "Illinois", "Greater Chicago Area", 60601, "312 773 872", 6),
    _us("Naperville", "IL", "Illinois", "Greater Chicago Area", 60540, "630 331", 1),
    _us("Springfield", "IL", "Illinois", "Springfield, Illinois Area", 62701, "217", 0.5),
    _us("Detroit", "MI", "Michigan", "Greater Detroit Area", 48226, "313", 2),
    _us("Ann Arbor", "MI", "Michigan", "Greater Detroit Area", 48104, "734", 0.8),
    _us("Columbus", "OH", "Ohio", "Greater Columbus Area", 43215, "614 380", 2),
    _us("Cleveland", "OH", "Ohio", "Greater Cleveland", 44114, "216", 1.5),
    _us("Cincinnati", "OH", "Ohio", "Cincinnati Metropolitan Area", 45202, "513", 1.2),
    _us("Indianapolis", "IN", "Indiana", "Greater Indianapolis", 46204, "317 463", 1.5),
    _us("Minneapolis", "MN", "Minnesota", "Greater Minneapolis-St. Paul Area", 55401, "612 952", 2),
    _us("St. Louis", "MO", "Missouri", "Greater St. Louis", 63101, "314", 1.5),
    _us("Kansas City", "MO", "Missouri", "Kansas City Metropolitan Area", 64105, "816", 1.2),
    _us("Milwaukee", "WI", "Wisconsin", "Greater Milwaukee", 53202, "414", 1),
    _us("Dallas", "TX", "Texas", "Dallas-Fort Worth Metroplex", 75201, "214 469 972", 5),
    _us("Plano", "TX", "Texas", "Dallas-Fort Worth Metroplex", 75024, "972 469", 2),
    _us("Irving", "TX", "Texas", "Dallas-Fort Worth Metroplex", 75038, "972 469", 1.5),
    _us("Houston", "TX", "Texas", "Greater Houston", 77002, "713 281 832", 4.5),
    _us("Austin", "TX", "Texas", "Austin, Texas Metropolitan Area", 78701, "512 737", 3.5),
    _us("San Antonio", "TX", "Texas", "San Antonio, Texas Metropolitan Area", 78205, "210", 2),
    _us("Denver", "CO", "Colorado", "Denver Metropolitan Area", 80202, "303 720", 2.5),
    _us("Boulder", "CO", "Colorado", "Denver Metropolitan Area", 80302, "303 720", 0.7),
    _us("Phoenix", "AZ", "Arizona", "Greater Phoenix Area", 85004, "602 480 623", 3),
    _us("Scottsdale", "AZ", "Arizona", "Greater Phoenix Area", 85251, "480", 1),
    _us("Salt Lake City", "UT", "Utah", "Salt Lake City Metropolitan Area", 84101, "801 385", 1.2),
    _us("Las Vegas", "NV", "Nevada", "Las Vegas Metropolitan Area", 89101, "702 725", 1.2),
    _us(
        "Los Angeles",
        "CA",
        "California",
        "Los Angeles Metropolitan Area",
        90012,
        "213 310 323 818",
        6,
    ),
    _us("Irvine", "CA", "California", "Los Angeles Metropolitan Area", 92618, "949", 1.5),
    _us("San Diego", "CA", "California", "Greater San Diego Area", 92101, "619 858", 2.5),
    _us("San Francisco", "CA", "California", "San Francisco Bay Area", 94105, "415 628", 4),
    _us("San Jose", "CA", "California", "San Francisco Bay Area", 95113, "408 669", 3),
    _us("Sunnyvale", "CA", "California", "San Francisco Bay Area", 94085, "408 669", 1.5),
    _us("Palo Alto", "CA", "California", "San Francisco Bay Area", 94301, "650", 1),
    _us("Oakland", "CA", "California", "San Francisco Bay Area", 94612, "510 341", 1.2),
    _us("Sacramento", "CA", "California", "Sacramento, California Area", 95814, "916 279", 1.2),
    _us("Seattle", "WA", "Washington", "Greater Seattle Area", 98101, "206 564", 3.5),
    _us("Bellevue", "WA", "Washington", "Greater Seattle Area", 98004, "425", 1.5),
    _us("Redmond", "WA", "Washington", "Greater Seattle Area", 98052, "425", 1.2),
    _us("Portland", "OR", "Oregon", "Portland, Oregon Metropolitan Area", 97204, "503 971", 1.8),
    _us("Portland", "ME", "Maine", "Portland, Maine Metropolitan Area", 4101, "207", 0.4),
    _us("Nashville", "TN", "Tennessee", "Nashville Metropolitan Area", 37203, "615 629", 1.5),
    _us("Memphis", "TN", "Tennessee", "Memphis Metropolitan Area", 38103, "901", 0.8),
    _us("New Orleans", "LA", "Louisiana", "Greater New Orleans Region", 70112, "504", 0.8),
    _us("Louisville", "KY", "Kentucky", "Louisville Metropolitan Area", 40202, "502", 0.8),
    _us("Hartford", "CT", "Connecticut", "Greater Hartford", 6103, "860 959", 0.8),
    _us("Stamford", "CT", "Connecticut", "Greater New York City Area", 6901, "203 475", 0.8),
    _us("Providence", "RI", "Rhode Island", "Greater Providence", 2903, "401", 0.6),
    _us("Omaha", "NE", "Nebraska", "Omaha Metropolitan Area", 68102, "402 531", 0.6),
    _us("Des Moines", "IA", "Iowa", "Des Moines Metropolitan Area", 50309, "515", 0.6),
    _us("Albuquerque", "NM", "New Mexico", "Albuquerque-Santa Fe Area", 87102, "505", 0.6),
    _us("Honolulu", "HI", "Hawaii", "Honolulu, Hawaii", 96813, "808", 0.4),
    _us("Anchorage", "AK", "Alaska", "Anchorage, Alaska Area", 99501, "907", 0.2),
    _us("Boise", "ID", "Idaho", "Boise Metropolitan Area", 83702, "208 986", 0.5),
    _us("Birmingham", "AL", "Alabama", "Birmingham, Alabama Area", 35203, "205 659", 0.6),
    _us(
        "Oklahoma City", "OK", "Oklahoma", "Oklahoma City Metropolitan Area", 73102, "405 572", 0.7
    ),
    _us("Little Rock", "AR", "Arkansas", "Little Rock Metropolitan Area", 72201, "501", 0.4),
)

FOREIGN_CITIES: tuple[ForeignCity, ...] = (
    ForeignCity("London", "England", "United Kingdom", "+44", 3),
    ForeignCity("Manchester", "England", "United Kingdom", "+44", 1),
    ForeignCity("Dublin", "County Dublin", "Ireland", "+353", 1),
    ForeignCity("Toronto", "Ontario", "Canada", "+1", 3),
    ForeignCity("Montréal", "Quebec", "Canada", "+1", 1),
    ForeignCity("Sydney", "New South Wales", "Australia", "+61", 1),
    ForeignCity("Mexico City", "Mexico City", "Mexico", "+52", 1.5),
    ForeignCity("Guadalajara", "Jalisco", "Mexico", "+52", 0.7),
    ForeignCity("Bogotá", "Bogotá D.C.", "Colombia", "+57", 0.7),
    ForeignCity("Buenos Aires", "Buenos Aires", "Argentina", "+54", 0.7),
    ForeignCity("Madrid", "Community of Madrid", "Spain", "+34", 0.7),
    ForeignCity("Bengaluru", "Karnataka", "India", "+91", 3),
    ForeignCity("Hyderabad", "Telangana", "India", "+91", 2),
    ForeignCity("Pune", "Maharashtra", "India", "+91", 1.5),
    ForeignCity("Chennai", "Tamil Nadu", "India", "+91", 1.5),
    ForeignCity("Shanghai", "Shanghai", "China", "+86", 1),
    ForeignCity("Beijing", "Beijing", "China", "+86", 1),
    ForeignCity("Shenzhen", "Guangdong", "China", "+86", 0.7),
    ForeignCity("Singapore", "Singapore", "Singapore", "+65", 0.7),
    ForeignCity("Ho Chi Minh City", "Ho Chi Minh", "Vietnam", "+84", 0.5),
    ForeignCity("Hanoi", "Hanoi", "Vietnam", "+84", 0.4),
    ForeignCity("Seoul", "Seoul", "South Korea", "+82", 0.7),
    ForeignCity("Busan", "Busan", "South Korea", "+82", 0.3),
    ForeignCity("Dubai", "Dubai", "United Arab Emirates", "+971", 0.8),
    ForeignCity("Cairo", "Cairo", "Egypt", "+20", 0.5),
    ForeignCity("Amman", "Amman", "Jordan", "+962", 0.3),
    ForeignCity("Riyadh", "Riyadh", "Saudi Arabia", "+966", 0.3),
    ForeignCity("Warsaw", "Mazowieckie", "Poland", "+48", 0.6),
    ForeignCity("Kraków", "Małopolskie", "Poland", "+48", 0.5),
    ForeignCity("Kyiv", "Kyiv City", "Ukraine", "+380", 0.5),
    ForeignCity("Prague", "Prague", "Czechia", "+420", 0.4),
    ForeignCity("Belgrade", "Belgrade", "Serbia", "+381", 0.3),
    ForeignCity("Lagos", "Lagos State", "Nigeria", "+234", 0.6),
    ForeignCity("Abuja", "Federal Capital Territory", "Nigeria", "+234", 0.3),
    ForeignCity("Berlin", "Berlin", "Germany", "+49", 0.8),
    ForeignCity("Munich", "Bavaria", "Germany", "+49", 0.6),
    ForeignCity("Hamburg", "Hamburg", "Germany", "+49", 0.4),
    ForeignCity("Frankfurt", "Hesse", "Germany", "+49", 0.4),
    ForeignCity("Paris", "Île-de-France", "France", "+33", 0.8),
    ForeignCity("Lyon", "Auvergne-Rhône-Alpes", "France", "+33", 0.3),
    ForeignCity("Toulouse", "Occitanie", "France", "+33", 0.2),
    ForeignCity("Amsterdam", "North Holland", "Netherlands", "+31", 0.6),
    ForeignCity("Rotterdam", "South Holland", "Netherlands", "+31", 0.3),
    ForeignCity("Utrecht", "Utrecht", "Netherlands", "+31", 0.2),
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


STREET_NAMES = _words(
    "Main|Oak|Maple|Cedar|Pine|Elm|Washington|Lake|Hill|Park|Walnut|Sunset|Lincoln|Jackson|"
    "Highland|Church|Willow|Meadow|River|Spring|Forest|Madison|Franklin|Chestnut|Jefferson|"
    "Adams|Ridge|Birch|Mill|Cherry|Dogwood|Magnolia|Peachtree|Colonial|Center|Broad|Market|"
    "Liberty|Union|Prospect|Summit|Valley|Harbor|Greenwood|Fairview|Hickory|Sycamore|Aspen"
)
STREET_SUFFIXES = (
    "St",
    "Ave",
    "Rd",
    "Blvd",
    "Dr",
    "Ln",
    "Ct",
    "Way",
    "Pl",
    "Pkwy",
    "Street",
    "Avenue",
    "Road",
    "Drive",
    "Lane",
    "Circle",
    "Terrace",
)
UNIT_FORMS = ("Apt {n}", "Apt. {n}", "Unit {n}", "Suite {n}", "#{n}", "APT {n}{letter}")
