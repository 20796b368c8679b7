"""Un lecteur YAML qui refuse les clés en double et garde les dates en texte.

Les dates restent des chaînes pour que le chargeur les vérifie lui-même et nomme la
règle fautive, au lieu d'une erreur de PyYAML sans contexte.
"""
import yaml


class DictLigne(dict):
    """Un dictionnaire qui se souvient de sa ligne dans le fichier."""
    ligne: int = 0


class CleEnDouble(yaml.MarkedYAMLError):
    pass


class _Lecteur(yaml.SafeLoader):
    pass


def _mapping(loader: _Lecteur, node: yaml.MappingNode, deep: bool = False) -> DictLigne:
    resultat = DictLigne()
    resultat.ligne = node.start_mark.line + 1
    for cle_node, valeur_node in node.value:
        cle = loader.construct_object(cle_node, deep=True)
        if cle in resultat:
            raise CleEnDouble(None, None, f"clé « {cle} » en double", cle_node.start_mark)
        resultat[cle] = loader.construct_object(valeur_node, deep=True)
    return resultat


_Lecteur.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Lecteur.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def lire_yaml(texte: str):
    return yaml.load(texte, Loader=_Lecteur)  # noqa: S506 - SafeLoader subclass
