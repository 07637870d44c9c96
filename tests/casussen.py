"""Answers files the tests share: one basis case that ends in melden, meldnorm 1 (afweging-2
ja), written as a professional would (facts with their source and date)."""

# Everything after acuut-gevaar: for a test that goes on with a case that answered it already.
NA_ACUUT = """\
  signalen: [psychisch-geweld]
  signalen-beschrijving: "Kind vertelt op 3/11 dat het 's nachts geschreeuw hoort."
  kindcheck: ja
  collegiale-consultatie: "Aandachtsfunctionaris, 4/11."
  veilig-thuis-geraadpleegd: nee
  gesprek-gevoerd: ja
  afweging-1: ja
  afweging-2: ja
"""
BEGIN = "antwoorden:\n  acuut-gevaar: nee\n"
MELDEN = "sector: basis\n" + BEGIN + NA_ACUUT
MELDEN_MET_LABEL = "sector: basis\nlabel: dossier-4711\n" + BEGIN + NA_ACUUT
VERDER = "antwoorden:\n" + NA_ACUUT
