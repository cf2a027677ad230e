"""A local PayFiP: its SOAP web service (creerPaiementSecurise, recupererDetailPaiementSecurise)
over real HTTP on 127.0.0.1, answering per the WSDL eopayment ships, so that eopayment's zeep
client is exercised for real. `settle(idop, "P")` plays the tenant paying on PayFiP's page.

Behaviour from the DGFiP's documentation: an operation (idOp) is created for a known client
number; until it is paid its status request fails with FonctionnelleErreur P5 ("transaction
en cours"), an unknown idOp with P1; once settled, `resultrans` is P (paid by card),
R (refused) or A (abandoned).
"""

import datetime
import threading
import uuid
import xml.etree.ElementTree as ET
import zoneinfo
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
ERROR = "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakePayFiP:
    def __init__(self, clients=("123456",)):
        self.clients = set(clients)
        self.operations: dict[str, dict] = {}
        self.calls: list[str] = []
        self._server: WSGIServer | None = None

    def __enter__(self):
        self._server = make_server("127.0.0.1", 0, self.app, handler_class=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/tpa/services/securite"

    def settle(self, idop: str, resultrans: str = "P") -> None:
        now = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris"))
        self.operations[idop] |= {
            "resultrans": resultrans,
            "dattrans": f"{now:%d%m%Y}",
            "heurtrans": f"{now:%H%M}",
            "numauto": "123456" if resultrans == "P" else "",
        }

    # --- the SOAP service ---

    def app(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        # Only the test's own zeep client talks to this server.
        envelope = ET.fromstring(environ["wsgi.input"].read(length))  # noqa: S314
        call = envelope.find(f"{{{SOAP_ENV}}}Body")[0]
        operation = call.tag.rsplit("}", 1)[-1]
        args = {child.tag: (child.text or "") for child in call.find("arg0")}
        self.calls.append(operation)
        handler = getattr(self, f"_{operation}", None)
        if handler is None:
            status, body = "500 Internal Server Error", self._fault("X", "opération inconnue")
        else:
            status, body = handler(args)
        start_response(status, [("Content-Type", "text/xml; charset=utf-8")])
        return [body.encode()]

    def _creerPaiementSecurise(self, args):
        if args.get("numcli") not in self.clients:
            return "500 Internal Server Error", self._fault("R3", "numéro client inconnu")
        if not args.get("montant", "").isdigit() or args.get("saisie") not in ("T", "X", "W"):
            return "500 Internal Server Error", self._fault("R4", "paramètres invalides")
        idop = uuid.uuid4().hex
        self.operations[idop] = {**args, "idOp": idop, "resultrans": None}
        return "200 OK", self._response("creerPaiementSecurise", {"idOp": idop})

    def _recupererDetailPaiementSecurise(self, args):
        operation = self.operations.get(args.get("idOp"))
        if operation is None:
            return "500 Internal Server Error", self._fault("P1", "idOp inconnu")
        if operation["resultrans"] is None:
            return "500 Internal Server Error", self._fault("P5", "transaction en cours")
        names = ["dattrans", "exer", "heurtrans", "idOp", "mel", "montant", "numauto", "numcli"]
        names += ["objet", "refdet", "resultrans", "saisie"]
        return "200 OK", self._response(
            "recupererDetailPaiementSecurise", {name: operation.get(name) for name in names}
        )

    @staticmethod
    def _response(operation, values):
        inner = "".join(
            f"<{name}>{escape(value)}</{name}>" for name, value in values.items() if value
        )
        return (
            f'<S:Envelope xmlns:S="{SOAP_ENV}"><S:Body>'
            f'<ns2:{operation}Response xmlns:ns2="{SERVICE_NS}">'
            f"<return>{inner}</return></ns2:{operation}Response></S:Body></S:Envelope>"
        )

    @staticmethod
    def _fault(code, text):
        return (
            f'<S:Envelope xmlns:S="{SOAP_ENV}"><S:Body><S:Fault>'
            f"<faultcode>S:Server</faultcode><faultstring>{ERROR}</faultstring>"
            f'<detail><ns2:FonctionnelleErreur xmlns:ns2="{SERVICE_NS}">'
            f"<code>{code}</code><descriptif>{escape(text)}</descriptif>"
            f"<libelle>{escape(text)}</libelle><severite>2</severite>"
            f"</ns2:FonctionnelleErreur></detail></S:Fault></S:Body></S:Envelope>"
        )
