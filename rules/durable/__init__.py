"""L'adaptateur durable-rules.

Chaque règle devient une règle durable « r<i> » sur un seul fait ; un lot de dossiers est affirmé
d'un coup dans une session neuve, puis la session est effacée. durable-rules est à deux valeurs : une
règle est déclenchée si et seulement si sa condition est vraie ; l'évaluateur Python reste la référence
pour distinguer le faux de l'inconnu.

Les jointures du comité technique (JointuresDurables) sont des règles à deux faits : tous les faits
d'une séance sont affirmés dans une session neuve, chaque paire jointe revient dans un message
d'action ; rules.jointures.paires_python reste la référence.

Un module par souci :
- session.py    : le seul module du projet qui importe le moteur de durable-rules (son module C,
                  `durable_rules_engine`) ; verrou, cache des rulesets, partage quand la pile du
                  moteur déborde, fait témoin, effacement des sessions, reprise ; ses caprices y sont
                  décrits ;
- codage.py     : les valeurs et le JSON écrits pour le moteur (pur Python) ;
- traduction.py : nos conditions et nos jointures en règles durable-rules (pur Python) ;
- moteur.py     : MoteurDurable, les règles vraies de chaque dossier d'un lot ;
- jointures.py  : JointuresDurables, les paires jointes d'une séance ;
- erreurs.py    : ErreurMoteurDurable, MoteurDurableIndisponible (pur Python).
Le paquet s'importe sans durable-rules (Python 3.13) : disponible() dit alors non, et construire un
moteur lève MoteurDurableIndisponible.
"""
from rules.durable.erreurs import ErreurMoteurDurable, MoteurDurableIndisponible
from rules.durable.jointures import JointuresDurables
from rules.durable.moteur import MoteurDurable
from rules.durable.session import disponible

__all__ = ["ErreurMoteurDurable", "JointuresDurables", "MoteurDurable", "MoteurDurableIndisponible", "disponible"]
