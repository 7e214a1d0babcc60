"""What a figure is about: scope, measure, agency, currency and speaker, read the way a
careful fact-checker reads them (issue 13). Every sentence is written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from borderflow.extract import Claim, DocumentMeta, extract_claims
from borderflow.extract.money import CurrencyRules
from borderflow.vocab import load_vocabulary

DATED = DocumentMeta(published=date(2025, 4, 2))


def _one(text: str, quote: str, meta: DocumentMeta | None = None) -> Claim:
    start = text.index(quote)
    claims = extract_claims(text, meta or DATED)
    found = [c for c in claims if c.start < start + len(quote) and start < c.end]
    assert len(found) == 1, f"{quote!r}: {[c.text for c in claims]}"
    return found[0]


# -- scope -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "scope"),
    [
        ("Officers seized 900 pounds of fentanyl at all U.S. borders in March.", "900 pounds",
         "all borders"),
        ("Counted at the borders combined, the haul came to 1,250 pounds.", "1,250 pounds",
         "all borders"),
        ("Officers took 310 pounds of meth at ports of entry nationwide in May.", "310 pounds",
         "all borders"),
        ("Inspectors found 75 pounds at ports of entry across the country.", "75 pounds",
         "all borders"),
        ("Pharmacies across the country dispensed 4.2 million naloxone kits.",
         "4.2 million naloxone kits", "nationwide"),
        ("Troopers seized 14 kilograms along the border with Mexico.", "14 kilograms",
         "southwest border"),
        ("Agents stopped 60 pounds near the Blue Water Bridge on Friday.", "60 pounds",
         "northern border"),
        ("The CBSA intercepted 3 kg of cocaine at land crossings in Manitoba.", "3 kg",
         "northern border"),
        ("Smuggling across the U.S.-Mexico border rose, and 15 kg was seized.", "15 kg",
         "southwest border"),
    ],
)  # fmt: skip
def test_the_governing_phrase_decides_the_scope(text: str, quote: str, scope: str) -> None:
    assert _one(text, quote).corridor == scope


def test_each_figure_takes_the_border_its_own_phrase_names() -> None:
    text = (
        "Agents seized 9,200 pounds of fentanyl at the southern border, while officers at the "
        "northern border found only 19 pounds."
    )
    assert _one(text, "9,200 pounds").corridor == "southwest border"
    assert _one(text, "19 pounds").corridor == "northern border"


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # Each item of a list takes the border in its own item, not the one that ends the
        # item before it.
        ("Nationally, officers stopped 9,800 pounds at all U.S. borders, 9,500 pounds at the "
         "Mexican border and 40 at the Canadian border.",
         {"9,800 pounds": "all borders", "9,500 pounds": "southwest border",
          "40": "northern border"}),
        ("Seizures reached 120 kilograms on the southwest border; 6 kilograms on the northern "
         "border.", {"120 kilograms": "southwest border", "6 kilograms": "northern border"}),
        # A figure broken down by border right after it is the total over every border.
        ("Inspectors took 15,300 pounds of fentanyl last year, 15,000 pounds of it at the "
         "southern border and 20 pounds at the border with Canada.",
         {"15,300 pounds": "all borders", "15,000 pounds": "southwest border",
          "20 pounds": "northern border"}),
        # A frame with no figure of its own still gives its border.
        ("At the northern border, agents seized 43 pounds, up from 2.5 pounds.",
         {"43 pounds": "northern border", "2.5 pounds": "northern border"}),
    ],
)  # fmt: skip
def test_figures_listed_by_border_take_their_own_items_border(
    text: str, figures: dict[str, str]
) -> None:
    for quote, scope in figures.items():
        assert _one(text, quote).corridor == scope, quote


def test_from_mexico_is_an_origin_not_a_border() -> None:
    claim = _one("Police in Ohio seized 12 kg of fentanyl that came from Mexico.", "12 kg")
    assert claim.origin == "Mexico"
    assert claim.corridor is None


def test_a_list_of_origins_is_no_single_origin() -> None:
    text = "Of the pills tested, 97.5% came from Mexico, the U.S. or unknown origins."
    claim = _one(text, "97.5%")
    assert claim.measure == "share"
    assert claim.origin is None


def test_a_death_count_over_the_whole_country_is_nationwide() -> None:
    text = "Across Canada, 6,900 people died of opioid poisoning last year, federal figures show."
    claim = _one(text, "6,900 people")
    # PHAC publishes the count, but "federal figures show" credits nobody: the writer's.
    assert (claim.corridor, claim.agency, claim.speaker) == ("nationwide", "PHAC", None)
    provincial = _one("In Alberta, 1,410 people died of drug poisoning last year.", "1,410 people")
    assert provincial.corridor is None


# -- measure -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "quote", "measure"),
    [
        ("CBP seized 30 pounds at the northern border, or 0.3% of the total.", "0.3%", "share"),
        ("Of everything seized that year, 94.2% was seized at the southern border.", "94.2%",
         "share"),
        ("Border seizures of cocaine fell 12.4% last year.", "12.4%", "change"),
        ("There were 11,500 fewer overdose deaths than the year before.", "11,500 fewer",
         "change"),
        ("Sales were up 18 percent in the quarter.", "18 percent", "change"),
        ("The jobless rate rose to 6.8 per cent in June.", "6.8 per cent", "other"),
        ("The 3 kilograms seized could kill 1.5 million people, police said.",
         "1.5 million people", "doses"),
        ("Investigators seized 40,000 counterfeit pills in a raid on Tuesday.",
         "40,000 counterfeit pills", "seizure"),
        ("The ring shipped 60 kilograms of fentanyl to buyers in Ohio.", "60 kilograms", "other"),
        ("Ottawa will spend $900 million on border security.", "$900 million", "funding"),
        ("Diesel sold for $1.89 a litre in Windsor, near where fentanyl was seized.",
         "$1.89", "other"),
        ("The council approved a 25% tariff on imported steel.", "25%", "tariff"),
    ],
)  # fmt: skip
def test_measures(text: str, quote: str, measure: str) -> None:
    assert _one(text, quote).measure == measure


def test_general_news_beside_a_drug_story_is_not_a_seizure() -> None:
    text = (
        "Police seized 4 kg of cocaine at the port. The crane that lifted the container "
        "weighs 40 tonnes."
    )
    assert _one(text, "4 kg").measure == "seizure"
    assert _one(text, "40 tonnes").measure == "other"


# -- agency ------------------------------------------------------------------------------
def test_the_agency_is_the_one_in_the_figures_own_clause() -> None:
    text = (
        "The RCMP dismantled a lab near Kelowna; meanwhile, 310 people died of overdoses "
        "in the region."
    )
    assert _one(text, "310 people").agency is None


def test_a_politician_is_the_speaker_not_the_agency() -> None:
    text = "Senator Maria Ortiz said CBP seized 51 pounds of fentanyl at the northern border."
    claim = _one(text, "51 pounds")
    assert (claim.agency, claim.speaker) == ("CBP", "Maria Ortiz")


def test_attribution_names_the_agency_when_the_clause_does_not() -> None:
    text = "About 1,900 pounds were seized in the Tucson area, according to CBP data."
    assert _one(text, "1,900 pounds").agency == "CBP"


def test_the_agency_carries_through_a_paragraph() -> None:
    text = "The CBSA reported a record quarter. Its officers seized 22 kg of methamphetamine."
    assert _one(text, "22 kg").agency == "CBSA"


def test_customs_and_border_patrol_is_a_misnaming_of_cbp_not_border_patrol() -> None:
    text = (
        "Customs and Border Patrol officers seized 21 pounds of fentanyl in May. Border "
        "Patrol agents caught 3 pounds more between the ports."
    )
    assert _one(text, "21 pounds").agency == "CBP"
    assert _one(text, "3 pounds").agency == "U.S. Border Patrol"


def test_a_border_seizure_with_no_agency_named_is_cbps() -> None:
    text = "Seizures of fentanyl at the southwest border reached 9,800 pounds, a governor said."
    assert _one(text, "9,800 pounds").agency == "CBP"


# -- currency ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "meta", "code"),
    [
        ("The CBSA said the seized vehicles were worth $2 million.", DATED, "CAD"),
        ("Rent in Ontario climbed to $2,100 a month.", DocumentMeta(outlet="CBC News"), "CAD"),
        ("Rent climbed to $2,100 a month.", DocumentMeta(outlet="www.theglobeandmail.com"),
         "CAD"),
        ("Rent climbed to $2,100 a month.", DocumentMeta(outlet="Associated Press"), "USD"),
        ("Rent climbed to $2,100 a month.", DocumentMeta(outlet="Reuters"), "USD"),
        ("Rent climbed to $2,100 a month.", DocumentMeta(outlet="ABC"), "AUD"),
        ("Rent climbed to $2,100 a month.", DocumentMeta(outlet="ABC News"), "USD"),
        ("The Mexican Army said the lab was worth $4 million.", DATED, "MXN"),
        ("The Toronto plan costs US$40 million.", DocumentMeta(outlet="CBC News"), "USD"),
        ("The deal is worth $5 billion US, officials said.", DocumentMeta(outlet="CBC News"),
         "USD"),
        ("Washington pledged C$30 million.", DocumentMeta(outlet="CNN"), "CAD"),
    ],
)  # fmt: skip
def test_a_bare_dollar_takes_its_country_from_context(
    text: str, meta: DocumentMeta, code: str
) -> None:
    [claim] = [c for c in extract_claims(text, meta) if c.dimension in ("currency", "rate")]
    assert claim.unit is not None and claim.unit.split("/")[0] == code
    assert claim.normalized_unit is not None and claim.normalized_unit.split("/")[0] == code


def test_outlets_are_looked_up_by_name_and_domain() -> None:
    rules = CurrencyRules(load_vocabulary())
    assert rules.outlet_country("The Globe and Mail") == "CA"
    assert rules.outlet_country("https://www.cbc.ca/news/canada") == "CA"
    assert rules.outlet_country("thestar.com.my") == "MY"
    assert rules.outlet_country("Sydney Morning Herald") == "AU"
    assert rules.outlet_country("Reuters") is None
    assert rules.outlet_country("The Daily Nowhere") is None


# -- speaker -----------------------------------------------------------------------------
def test_a_pronoun_after_a_quote_is_the_person_introduced_earlier() -> None:
    text = (
        "Kendra Oyelaran has led the port's inspection teams since 2019. “We pulled "
        "8 kilograms off one truck in March,” she said."
    )
    assert _one(text, "8 kilograms").speaker == "Kendra Oyelaran"


def test_he_told_reporters_that() -> None:
    text = (
        "Interior Minister Tomas Reyes visited the port on Monday. He told reporters that "
        "soldiers had seized 300 kilograms of precursors."
    )
    assert _one(text, "300 kilograms").speaker == "Tomas Reyes"


def test_attribution_after_a_long_quote_covers_all_its_sentences() -> None:
    text = (
        "“Our teams found 12 kilograms in one week. Another 5 kilograms turned up in the "
        "mail,” said Inspector Hal Brodeur of the RCMP."
    )
    assert _one(text, "12 kilograms").speaker == "Hal Brodeur"
    assert _one(text, "5 kilograms").speaker == "Hal Brodeur"


def test_a_surname_takes_the_full_name_first_given() -> None:
    text = (
        "FBI Director Kash Patel testified on Tuesday. Patel said agents had seized "
        "2 tons of precursor chemicals."
    )
    assert _one(text, "2 tons").speaker == "Kash Patel"


def test_nested_attribution_gives_the_figure_to_the_inner_claimant() -> None:
    text = (
        "President Donald Trump said fentanyl pours across the border. The RCMP said "
        "on Friday, rejecting Trump's claim that 30 tonnes cross the border each year, "
        "that seizures were small."
    )
    assert _one(text, "30 tonnes").speaker == "Donald Trump"


def test_according_to_an_agency() -> None:
    claim = _one("According to the DEA, 70% of the pills tested held a lethal dose.", "70%")
    assert claim.speaker == "DEA"


def test_an_agency_release_speaks_for_its_unattributed_figures() -> None:
    meta = DocumentMeta(outlet="U.S. Customs and Border Protection", published=date(2025, 1, 9))
    claim = _one("Officers at the port of entry found 41 pounds of fentanyl.", "41 pounds", meta)
    assert (claim.speaker, claim.agency) == ("CBP", "CBP")


def test_without_attribution_the_author_then_the_outlet_speaks() -> None:
    text = "Home prices rose 4% in the spring."
    assert _one(text, "4%", DocumentMeta(author="Ana Lee", outlet="CTV News")).speaker == "Ana Lee"
    assert _one(text, "4%", DocumentMeta(outlet="CTV News")).speaker == "CTV News"


def test_a_list_is_said_by_whoever_introduced_it() -> None:
    text = "The RCMP said officers found the following:\n- 4 kg of cocaine\n- 900 g of fentanyl"
    claim = _one(text, "900 g")
    assert (claim.speaker, claim.agency, claim.measure) == ("RCMP", "RCMP", "seizure")


# -- general news and government bodies --------------------------------------------------
def test_a_country_wide_statistic_is_nationwide_and_a_provincial_one_is_not() -> None:
    text = "Canada's economy added 41,000 jobs in June, the agency said."
    assert _one(text, "41,000 jobs").corridor == "nationwide"
    local = "Manitoba's economy added 4,100 jobs in June."
    assert _one(local, "4,100 jobs").corridor is None


def test_a_government_acting_under_its_capitals_name() -> None:
    text = "Ottawa has pledged $640 million for new scanners, officials said."
    claim = _one(text, "$640 million")
    assert (claim.agency, claim.unit, claim.measure) == ("Government of Canada", "CAD", "funding")


def test_a_named_body_that_speaks_owns_its_figures() -> None:
    text = "Freight volumes fell 6% in May, the Prairie Grain Commission said."
    claim = _one(text, "6%")
    assert (claim.agency, claim.speaker) == ("Prairie Grain Commission", "Prairie Grain Commission")


def test_a_described_source_stands_for_the_agency() -> None:
    text = "CBP seized 61 pounds of fentanyl at the northern border in May, agency data show."
    assert _one(text, "61 pounds").speaker == "CBP"


def test_a_bracketed_amount_after_a_written_currency_is_its_conversion() -> None:
    text = "Ottawa set aside C$2.2 billion ($1.6 billion) for the border."
    assert _one(text, "$1.6 billion", DocumentMeta(outlet="CBC News")).unit == "USD"


def test_the_whole_of_a_partitive_is_all_borders_and_a_share_is_its_part() -> None:
    text = (
        "Of the 18,000 pounds CBP seized in fiscal 2022, just 14 pounds were at the "
        "northern border."
    )
    assert _one(text, "18,000 pounds").corridor == "all borders"
    share = (
        "Lawmakers said 30% of the fentanyl seized at all U.S. borders is caught at the "
        "Canadian border."
    )
    assert _one(share, "30%").corridor == "northern border"


def test_a_canadian_agencys_flows_with_the_us_are_the_northern_border() -> None:
    text = "The CBSA stopped 9 kg of cocaine bound for the United States."
    assert _one(text, "9 kg").corridor == "northern border"


# -- speakers and owners named in attribution slots (issue 13) ---------------------------
def test_a_body_named_with_of_keeps_its_whole_name() -> None:
    text = (
        "Wheat exports climbed to 31 million tonnes last season, the Ministry of Agriculture said."
    )
    claim = _one(text, "31 million tonnes")
    assert (claim.speaker, claim.agency) == ("Ministry of Agriculture", "Ministry of Agriculture")


def test_a_web_name_is_not_cut_at_its_dot() -> None:
    text = "Average listings fell 2.5% in May, according to Zoocasa.com, a property portal."
    assert _one(text, "2.5%").speaker == "Zoocasa.com"


def test_a_minister_with_a_portfolio_is_the_person() -> None:
    text = "The scheme will cost about €90 million, Minister for Housing Aoife Brennan said."
    assert _one(text, "about €90 million").speaker == "Aoife Brennan"


def test_a_role_noun_refers_back_to_the_named_body_of_its_kind() -> None:
    text = (
        "Passengers on a Lakeshore Airlines flight from Halifax waited 6 hours at the gate "
        "on Friday, the airline said."
    )
    assert _one(text, "6 hours").speaker == "Lakeshore Airlines"
    company = "Pinecrest Foods expects sales to rise 4% next year, the Ohio-based company said."
    assert _one(company, "4%").speaker == "Pinecrest Foods"


def test_a_regulator_named_by_its_role_owns_its_figure() -> None:
    text = "Trentwater's new cap allows bills to rise 3% in April, the regulator said."
    claim = _one(text, "3%")
    assert (claim.speaker, claim.agency) == ("Trentwater", "Trentwater")


def test_narration_of_what_an_agency_counted_is_the_writers() -> None:
    meta = DocumentMeta(published=date(2025, 4, 2), outlet="Prairie Ledger")
    text = "The coroner's office recorded 212 drug deaths in the province in 2024."
    assert _one(text, "212 drug deaths", meta).speaker == "Prairie Ledger"


def test_a_documents_finding_is_its_authors_but_a_search_finding_is_not() -> None:
    meta = DocumentMeta(published=date(2025, 4, 2), outlet="Prairie Ledger")
    poll = "Two in five renters skipped a meal to pay rent, a NRH survey found."
    claim = _one(poll, "Two in five", meta)
    assert (claim.speaker, claim.agency) == ("NRH", "NRH")
    search = "Officers found 3 kilograms of cocaine in a spare tire."
    assert _one(search, "3 kilograms", meta).speaker == "Prairie Ledger"


def test_data_credited_to_nobody_are_the_writers() -> None:
    meta = DocumentMeta(published=date(2025, 4, 2), outlet="Prairie Ledger")
    text = "Deaths fell to 5,100 in 2024 from 5,800 a year earlier, according to new federal data."
    assert _one(text, "5,100", meta).speaker == "Prairie Ledger"


def test_half_a_ton_is_a_tonne_in_a_canadian_context_only() -> None:
    canadian = DocumentMeta(published=date(2025, 4, 2), outlet="CBC News")
    text = "Officers hauled half a ton of chemicals out of a barn near Kamloops."
    assert _one(text, "half a ton", canadian).unit == "tonne"
    mounties = "The RCMP said it hauled half a ton of chemicals out of a barn."
    assert _one(mounties, "half a ton").unit == "tonne"
    assert _one("Agents hauled half a ton of cocaine off a boat.", "half a ton").unit == "ton"


def test_a_dollar_sign_with_letters_keeps_its_country() -> None:
    meta = DocumentMeta(published=date(2025, 4, 2), outlet="The Australian")
    assert _one("The miner paid $US40 million for the site.", "$US40 million", meta).unit == "USD"
    assert _one("Its shares closed at $A15 on Friday.", "$A15", meta).unit == "AUD"
    assert _one("It paid a dividend of 4.5c a share.", "4.5c", meta).unit == "AUD"


def test_the_opening_paragraph_sets_the_border_and_the_class_names_its_drug() -> None:
    text = (
        "Seizures of fentanyl along the border with Mexico climbed in the spring, federal "
        "figures show.\n\nAgents took in 1,150 pounds of the potent synthetic opioid in April."
        "\n\nIn a separate case, synthetic opioids killed 40 people in the county."
    )
    claim = _one(text, "1,150 pounds")
    assert (claim.corridor, claim.substance) == ("southwest border", "fentanyl")
    # The class in its plural is the class, not the drug named before.
    assert _one(text, "40 people").substance == "synthetic opioids"


@pytest.mark.parametrize(
    ("text", "quote", "substance"),
    [
        (
            "Fentanyl, roughly 50 times stronger than heroin, killed about 48,000 people in 2024.",
            "about 48,000 people",
            "fentanyl",
        ),
        # Other comparisons keep the drug they name: it may be the subject.
        (
            "Nothing kills more Americans than fentanyl, which killed about 74,000 people in 2023.",
            "about 74,000 people",
            "fentanyl",
        ),
        # The pills are no drug of the vocabulary's: the one they are compared with is not
        # what they are.
        (
            "Counterfeit pills, often deadlier than heroin, made up 12 kilograms of the haul.",
            "12 kilograms",
            None,
        ),
    ],
)
def test_the_drug_a_potency_is_measured_against_is_not_the_subject(
    text: str, quote: str, substance: str | None
) -> None:
    assert _one(text, quote).substance == substance
