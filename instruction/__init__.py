"""Le domaine de Guichet, par capacité. Aucun module d'ici n'importe le web, la base ou Typer.

- `evaluation/` : territoire, faits dérivés, statuts, plan, assemblage de l'évaluation, le cas
  d'usage `Guichet`, et ce qui compare deux évaluations (et si ?, impact d'un changement de règles) ;
- `dossiers/` : le cycle de vie d'un dossier, les corrections de l'instructeur, leurs cas d'usage ;
- `comite/` : les réunions du comité technique, les contrôles croisés, leurs cas d'usage ;
- `documents/` : les modèles de vue de l'avis et du rapport (aucun rendu ici) ;
- `storage/` : l'adaptateur SQLAlchemy des ports (`ports.py`), que le domaine n'importe jamais ;
- `erreurs.py` (les refus et ce qui est introuvable), `ports.py` (dépôts, unité de travail),
  `temps.py` (l'horloge) ; `data/` : territoire, contrats et contrôles du comité, en données.
"""
