"""La préséance des statuts d'un financeur, sur de petites règles écrites pour le test."""
from instruction.evaluation.statuts import statut_financeur
from rules.chargement import lire_fichier

REGLES, _ = lire_fichier("t.yaml", """
regles:
""" + "".join(f"""
  - id: t.{effet}
    titre: {effet}
    financeur: leader
    effet: {effet}
    si: {{projet.nature: investissement}}
    message: m
    source: {{document: d, reference: r, extrait: e}}
    interpretation: false
    en_vigueur: {{du: null, au: null}}
""" for effet in ("non_concerne", "exclu", "eligible", "prioritaire")))
PAR_EFFET = {r.effet: [i] for i, r in enumerate(REGLES)}


def statut(non_concerne, exclu, eligible, prioritaire):
    return statut_financeur("leader", PAR_EFFET, REGLES, [non_concerne, exclu, eligible, prioritaire])


def test_le_champ_d_intervention_passe_avant_l_exclusion():
    assert statut(True, True, True, True).statut == "non_concerne"


def test_une_exclusion_vraie_ferme_la_voie():
    s = statut(False, True, True, True)
    assert (s.statut, s.motifs) == ("exclu", ("t.exclu",))


def test_une_priorite_seule_n_ouvre_pas_de_voie():
    assert statut(False, False, False, True).statut == "non_concerne"


def test_eligible_et_prioritaire_donnent_prioritaire():
    s = statut(False, False, True, True)
    assert (s.statut, s.motifs) == ("prioritaire", ("t.eligible", "t.prioritaire"))


def test_eligible_sans_priorite_reste_eligible_et_signale_la_priorite_inconnue():
    s = statut(False, False, True, None)
    assert s.statut == "eligible" and s.regles_decisives == (3,)


def test_une_exclusion_inconnue_empeche_de_conclure():
    assert statut(False, None, True, True).statut == "a_completer"


def test_une_eligibilite_inconnue_donne_a_completer():
    assert statut(False, False, None, False).statut == "a_completer"


def test_une_exclusion_inconnue_sans_voie_possible_ne_demande_rien():
    s = statut(False, None, False, False)
    assert s.statut == "non_concerne" and s.regles_decisives == ()


OUVERT, _ = lire_fichier("o.yaml", """
regles:
""" + "".join(f"""
  - id: o.{effet}
    titre: {effet}
    financeur: leader
    effet: {effet}
    si: {{projet.nature: investissement}}
    message: m
    source: {{document: d, reference: r, extrait: e}}
    interpretation: false
    en_vigueur: {{du: null, au: null}}
""" for effet in ("non_concerne", "exclu", "a_completer", "eligible")))
PAR_EFFET_OUVERT = {r.effet: [i] for i, r in enumerate(OUVERT)}


def statut_ouvert(non_concerne, exclu, a_completer, eligible):
    return statut_financeur("leader", PAR_EFFET_OUVERT, OUVERT, [non_concerne, exclu, a_completer, eligible])


def test_un_texte_qui_laisse_la_question_ouverte_donne_a_completer_meme_sans_voie():
    s = statut_ouvert(False, False, True, False)
    assert (s.statut, s.motifs) == ("a_completer", ("o.a_completer",))


def test_un_texte_ouvert_l_emporte_sur_une_eligibilite_et_la_garde_pour_motif():
    s = statut_ouvert(False, False, True, True)
    assert (s.statut, s.motifs) == ("a_completer", ("o.a_completer", "o.eligible"))


def test_le_champ_et_l_exclusion_passent_avant_le_texte_ouvert():
    assert statut_ouvert(True, False, True, True).statut == "non_concerne"
    assert statut_ouvert(False, True, True, True).statut == "exclu"


def test_un_texte_ouvert_inconnu_bloque_comme_une_exclusion_inconnue():
    s = statut_ouvert(False, False, None, True)
    assert s.statut == "a_completer" and 2 in s.regles_decisives
    assert statut_ouvert(False, False, None, False).statut == "non_concerne"
