"""Closed vocabularies: the whitelists every boundary checks against."""

# ISO 3166-1 alpha-2, officially assigned codes (plus EL and UK, which the EU itself uses).
ISO_COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW EL UK
""".split())

ORG_TYPES = ("cluster", "support_org", "sme", "research", "large")
PARTNER_ROLES = ("coordinator", "partner")
DIRECTIONS = ("increase", "decrease", "stay_above", "stay_below")
INTERPOLATIONS = ("linear", "step")
CONFIDENCES = ("on_track", "at_risk", "off_track")
LABEL_LEVELS = ("bronze", "silver", "gold")  # in ladder order
LABEL_RANK = {level: rank for rank, level in enumerate(LABEL_LEVELS, start=1)}
MISSION_KINDS = ("c2c", "b2b", "bso_visit")
DELIVERABLE_KINDS = ("deliverable", "milestone")
DELIVERABLE_STATUSES = ("pending", "draft", "submitted")
COMPANY_TYPES = ("sme", "large", "research")

# EU cost categories (Funding & Tenders Portal). E is a flat rate on direct costs, so expenses
# never carry it; budget lines do.
COST_CATEGORIES = {
    "A": "Personnel",
    "B": "Subcontracting",
    "C1": "Travel and subsistence",
    "C2": "Equipment",
    "C3": "Other goods, works and services",
    "D1": "Financial support to third parties",
    "E": "Indirect costs (flat rate)",
}
EXPENSE_CATEGORIES = tuple(c for c in COST_CATEGORIES if c != "E")
