"""Les titres des textes que les règles citent, pour les montrer aux lecteurs d'un avis ou d'un rapport."""

TITRES = {
    "000_2cc5c77f9f4957df.txt": "Contrat de destination touristique « Lys Artois » (2025-2027)",
    "001_bd94f405bff95fce.txt": "Délibération 2023-136 du Département du Pas-de-Calais (Pas-de-Calais Tourisme)",
    "002_b8f7c2758a814fb2.txt": "Stratégie touristique « Autour du Louvre-Lens »",
    "003_653652b52e3ee577.txt": "Stratégie touristique de La Porte du Hainaut",
    "004_f738618afb2fe528.txt": "Livret PIC Euralens (2012-2022)",
}


def titre_document(document: str) -> str:
    """Le titre d'un texte source ; un texte de loi est déjà nommé par son titre."""
    return TITRES.get(document, document)


def avec_titre(source: dict) -> dict:
    return {**source, "titre": titre_document(source["document"])}
