"""The kinds of notice line (the ledger import's `rubrique`), in words a tenant understands."""

RENT = "loyer"
AID = "apl"

EXPLANATIONS = {
    "loyer": "Le prix du logement (ou du parking) lui-même, hors charges.",
    "charges": "Avance sur les charges de l'immeuble (entretien des parties communes, "
    "ascenseur, ordures ménagères, eau froide…), ajustée une fois par an.",
    "chauffage": "Avance sur le chauffage collectif et l'entretien des appareils, "
    "ajustée une fois par an selon la consommation réelle.",
    "eau": "Avance sur l'eau consommée dans le logement, ajustée selon les relevés.",
    "apl": "Aide au logement versée par la CAF directement au bailleur : "
    "elle vient en déduction de ce que vous payez.",
    "regularisation": "Ajustement après le calcul des dépenses réelles de l'année : "
    "un complément à payer, ou un remboursement s'il est négatif.",
    "supplement": "Supplément de loyer de solidarité, dû lorsque les revenus du foyer "
    "dépassent les plafonds du logement social.",
    "paiement": "Somme que vous avez versée, déduite de ce que vous devez.",
}


def explanation(category: str) -> str:
    return EXPLANATIONS.get(category, "")


def is_rent(category: str) -> bool:
    return category == RENT


def is_aid(category: str) -> bool:
    return category == AID
