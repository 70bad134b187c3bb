"""The 57 OSCE participating States and the 11 Partners for Co-operation."""

from django.db import migrations

P, MED, ASIA = "participating", "mediterranean_partner", "asian_partner"

COUNTRIES = [
    # (alpha-2, alpha-3, name, status, region)
    ("AL", "ALB", "Albania", P, "south_eastern_europe"),
    ("AD", "AND", "Andorra", P, "southern_europe"),
    ("AM", "ARM", "Armenia", P, "south_caucasus"),
    ("AT", "AUT", "Austria", P, "central_europe"),
    ("AZ", "AZE", "Azerbaijan", P, "south_caucasus"),
    ("BY", "BLR", "Belarus", P, "eastern_europe"),
    ("BE", "BEL", "Belgium", P, "western_europe"),
    ("BA", "BIH", "Bosnia and Herzegovina", P, "south_eastern_europe"),
    ("BG", "BGR", "Bulgaria", P, "south_eastern_europe"),
    ("CA", "CAN", "Canada", P, "north_america"),
    ("HR", "HRV", "Croatia", P, "south_eastern_europe"),
    ("CY", "CYP", "Cyprus", P, "southern_europe"),
    ("CZ", "CZE", "Czechia", P, "central_europe"),
    ("DK", "DNK", "Denmark", P, "northern_europe"),
    ("EE", "EST", "Estonia", P, "northern_europe"),
    ("FI", "FIN", "Finland", P, "northern_europe"),
    ("FR", "FRA", "France", P, "western_europe"),
    ("GE", "GEO", "Georgia", P, "south_caucasus"),
    ("DE", "DEU", "Germany", P, "western_europe"),
    ("GR", "GRC", "Greece", P, "southern_europe"),
    ("VA", "VAT", "Holy See", P, "southern_europe"),
    ("HU", "HUN", "Hungary", P, "central_europe"),
    ("IS", "ISL", "Iceland", P, "northern_europe"),
    ("IE", "IRL", "Ireland", P, "western_europe"),
    ("IT", "ITA", "Italy", P, "southern_europe"),
    ("KZ", "KAZ", "Kazakhstan", P, "central_asia"),
    ("KG", "KGZ", "Kyrgyzstan", P, "central_asia"),
    ("LV", "LVA", "Latvia", P, "northern_europe"),
    ("LI", "LIE", "Liechtenstein", P, "central_europe"),
    ("LT", "LTU", "Lithuania", P, "northern_europe"),
    ("LU", "LUX", "Luxembourg", P, "western_europe"),
    ("MT", "MLT", "Malta", P, "southern_europe"),
    ("MD", "MDA", "Moldova", P, "eastern_europe"),
    ("MC", "MCO", "Monaco", P, "western_europe"),
    ("MN", "MNG", "Mongolia", P, "central_asia"),
    ("ME", "MNE", "Montenegro", P, "south_eastern_europe"),
    ("NL", "NLD", "Netherlands", P, "western_europe"),
    ("MK", "MKD", "North Macedonia", P, "south_eastern_europe"),
    ("NO", "NOR", "Norway", P, "northern_europe"),
    ("PL", "POL", "Poland", P, "central_europe"),
    ("PT", "PRT", "Portugal", P, "southern_europe"),
    ("RO", "ROU", "Romania", P, "south_eastern_europe"),
    ("RU", "RUS", "Russian Federation", P, "eastern_europe"),
    ("SM", "SMR", "San Marino", P, "southern_europe"),
    ("RS", "SRB", "Serbia", P, "south_eastern_europe"),
    ("SK", "SVK", "Slovakia", P, "central_europe"),
    ("SI", "SVN", "Slovenia", P, "central_europe"),
    ("ES", "ESP", "Spain", P, "southern_europe"),
    ("SE", "SWE", "Sweden", P, "northern_europe"),
    ("CH", "CHE", "Switzerland", P, "central_europe"),
    ("TJ", "TJK", "Tajikistan", P, "central_asia"),
    ("TR", "TUR", "Türkiye", P, "south_eastern_europe"),
    ("TM", "TKM", "Turkmenistan", P, "central_asia"),
    ("UA", "UKR", "Ukraine", P, "eastern_europe"),
    ("GB", "GBR", "United Kingdom", P, "western_europe"),
    ("US", "USA", "United States of America", P, "north_america"),
    ("UZ", "UZB", "Uzbekistan", P, "central_asia"),
    ("DZ", "DZA", "Algeria", MED, "mediterranean"),
    ("EG", "EGY", "Egypt", MED, "mediterranean"),
    ("IL", "ISR", "Israel", MED, "mediterranean"),
    ("JO", "JOR", "Jordan", MED, "mediterranean"),
    ("MA", "MAR", "Morocco", MED, "mediterranean"),
    ("TN", "TUN", "Tunisia", MED, "mediterranean"),
    ("AF", "AFG", "Afghanistan", ASIA, "asia_pacific"),
    ("AU", "AUS", "Australia", ASIA, "asia_pacific"),
    ("JP", "JPN", "Japan", ASIA, "asia_pacific"),
    ("KR", "KOR", "Republic of Korea", ASIA, "asia_pacific"),
    ("TH", "THA", "Thailand", ASIA, "asia_pacific"),
]


def load(apps, schema_editor):
    Country = apps.get_model("pan_network", "Country")
    for code, iso3, name, status, region in COUNTRIES:
        Country.objects.update_or_create(
            code=code, defaults={"iso3": iso3, "name": name, "status": status, "region": region}
        )


def unload(apps, schema_editor):
    apps.get_model("pan_network", "Country").objects.filter(
        code__in=[row[0] for row in COUNTRIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pan_network", "0002_directory")]
    operations = [migrations.RunPython(load, unload)]
