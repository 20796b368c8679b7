"""Juger un dossier : le territoire et les faits dérivés, la préséance des statuts, le plan d'un jeu de
règles, l'assemblage de l'évaluation du contrat, le cas d'usage `Guichet` ; comparer deux évaluations."""
