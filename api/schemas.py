"""What the app API sends and receives (French names, like the portal's other APIs)."""

import datetime

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal: `detail` says it in French; `erreurs` ties messages to fields."""

    detail: str
    erreurs: dict[str, list[str]] = {}


class StepOut(Schema):
    """A sign-up step's answer: the next step, and the session token to send from now on."""

    etape_suivante: str
    session_token: str | None = None
    detail: str = ""


class SignupRulesOut(Schema):
    bailleur: str
    preuve_identite: str
    etapes: list[str]
    libelle_numero: str
    aide_numero: str
    exemple_numero: str
    format_numero: str
    anti_robot: bool
    regle_mot_de_passe: str
    identifiant_de_connexion: str
    telephones_demandes: bool
    cgu_version: str


class IdentityIn(Schema):
    numero: str
    nom: str = ""
    prenom: str = ""
    date_naissance: str = ""
    anti_robot: str = ""


class PhoneIn(Schema):
    telephone: str


class CodeIn(Schema):
    code: str


class CredentialsIn(Schema):
    email: str
    email_confirmation: str
    mot_de_passe: str
    mot_de_passe_confirmation: str
    cgu_acceptees: bool
    actualites_par_email: bool = False
    telephone_fixe: str = ""
    telephone_mobile: str = ""
    anti_robot: str = ""


class AgencyOut(Schema):
    nom: str
    adresse: str
    telephone: str
    email: str
    horaires: str


class AccountOut(Schema):
    id: int
    numero: str
    solde_cents: int
    agence: AgencyOut | None


class PaymentOut(Schema):
    reference: str
    montant_cents: int
    etat: str
    libelle_etat: str
    cree_le: datetime.datetime
    confirme_le: datetime.datetime | None


class BalanceOut(Schema):
    compte: AccountOut
    solde_cents: int
    prochaine_echeance: datetime.date
    prochain_montant_cents: int | None
    dernier_paiement_date: datetime.date | None
    dernier_paiement_cents: int | None
    paiements_en_cours: list[PaymentOut]
    paiement_en_ligne_ouvert: bool
    paiement_minimum_cents: int
    paiement_maximum_cents: int


class HistoryLineOut(Schema):
    date: datetime.date
    libelle: str
    montant_cents: int
    solde_cents: int


class HistoryMonthOut(Schema):
    mois: str
    solde_debut_cents: int
    solde_fin_cents: int
    lignes: list[HistoryLineOut]


class HistoryOut(Schema):
    solde_cents: int
    mois: list[HistoryMonthOut]


class DocumentOut(Schema):
    type: str
    titre: str
    periode: str | None
    pdf: str


class DocumentsOut(Schema):
    documents: list[DocumentOut]
    attestation_disponible: bool
    attestation_motif: str


class PaymentIn(Schema):
    montant_cents: int


class FieldOut(Schema):
    nom: str
    valeur: str


class CheckoutOut(Schema):
    """What the app opens: `url` with `methode` (GET, or POST of `champs` as a form), in a
    browser; the provider sends the tenant back to `retour_url` (the app may close the
    browser there) and confirms the payment to the portal itself."""

    paiement: PaymentOut
    url: str
    methode: str
    champs: list[FieldOut]
    retour_url: str


class CategoryOut(Schema):
    id: int
    famille: str
    nom: str
    delai_reponse_jours: int
    avertissement_urgence: str


class RequestIn(Schema):
    categorie: int
    description: str
    ou: str = ""
    disponibilites: str = ""


class RequestStepOut(Schema):
    etat: str
    libelle: str
    date_intervention: datetime.date | None
    le: datetime.datetime


class RequestMessageOut(Schema):
    de_l_agence: bool
    texte: str
    le: datetime.datetime


class RequestOut(Schema):
    identifiant: str
    reference: str
    compte: str
    categorie: str
    etat: str
    libelle_etat: str
    description: str
    ou: str
    disponibilites: str
    envoyee_le: datetime.datetime
    reponse_promise_avant: datetime.datetime
    date_intervention: datetime.date | None


class RequestDetailOut(RequestOut):
    etapes: list[RequestStepOut]
    messages: list[RequestMessageOut]


class NewsOut(Schema):
    id: int
    titre: str
    texte: str
    publiee_le: datetime.datetime | None
    nouvelle: bool


class ProfileOut(Schema):
    email: str
    prenom: str
    nom: str
    telephone_mobile: str
    telephone_fixe: str
    actualites_par_email: bool
    identifiant_de_connexion: str
    comptes: list[str]


class ProfileIn(Schema):
    telephone_fixe: str | None = None
    telephone_mobile: str | None = None
    actualites_par_email: bool | None = None


class ProfileUpdateOut(Schema):
    profil: ProfileOut
    code_envoye: bool
    detail: str


class EmailIn(Schema):
    email: str
    mot_de_passe: str


class DetailOut(Schema):
    detail: str
