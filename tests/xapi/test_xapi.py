"""The learning record store at /xapi/ (xAPI 1.0.3): one test per rule of the specification the
LRS enforces, so that CI catches a regression without the ADL conformance suite."""

import base64
import copy
import hashlib
import json
import json as jsonlib
import re
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from xapi import services
from xapi.models import Activity, Client, Document, OutboxEntry, Statement

pytestmark = pytest.mark.django_db

VERSION = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
KEY, SECRET = "test-key", "test-secret"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
LESSON = "http://example.org/activities/lesson-1"
OTHER_LESSON = "http://example.org/activities/lesson-2"
COURSE = "http://example.org/activities/course"
LEARNER = "mailto:learner@example.org"
TEACHER = "mailto:teacher@example.org"
BOUNDARY = "xapi-test-boundary"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def agent(mbox: str = LEARNER, **extra) -> dict:
    return {"objectType": "Agent", "mbox": mbox, **extra}


def verb(verb_id: str = COMPLETED, **display) -> dict:
    return {"id": verb_id, "display": display or {"en-US": "completed"}}


def activity(activity_id: str = LESSON, **definition) -> dict:
    result = {"objectType": "Activity", "id": activity_id}
    if definition:
        result["definition"] = definition
    return result


def statement(**overrides) -> dict:
    data = {"actor": agent(), "verb": verb(), "object": activity()}
    data.update(overrides)
    return data


def without(data: dict, key: str) -> dict:
    return {k: v for k, v in data.items() if k != key}


def voiding(target_id: str) -> dict:
    return statement(
        verb=verb(VOIDED, **{"en-US": "voided"}),
        object={"objectType": "StatementRef", "id": target_id},
    )


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachment_meta(content: bytes, content_type: str = "text/plain", usage: str = "") -> dict:
    return {
        "usageType": usage or "http://example.org/attachment-usage/certificate",
        "display": {"en-US": "A certificate"},
        "contentType": content_type,
        "length": len(content),
        "sha2": sha256(content),
    }


def multipart(body, parts: list[tuple[str, bytes, str]]) -> bytes:
    """A multipart/mixed body: the statements as JSON, then (content type, bytes, hash) parts."""
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode()
        + json.dumps(body).encode()
    ]
    for content_type, content, digest in parts:
        chunks.append(
            f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {digest}\r\n\r\n".encode()
            + content
        )
    return b"\r\n".join(chunks) + f"\r\n--{BOUNDARY}--\r\n".encode()


class LRS:
    """Django's test client, speaking to /xapi/ with credentials and the version header."""

    def __init__(self, client, key: str = KEY, secret: str = SECRET):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": basic(key, secret), **VERSION}

    @staticmethod
    def url(resource: str, params: dict | None = None) -> str:
        url = f"/xapi/{resource}"
        if params:
            url += "?" + urlencode(
                {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
            )
        return url

    def get(self, resource: str, params: dict | None = None, **extra):
        return self.client.get(self.url(resource, params), **{**self.headers, **extra})

    def post(self, resource, body, params=None, content_type="application/json", **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            self.url(resource, params),
            data=data,
            content_type=content_type,
            **{**self.headers, **extra},
        )

    def put(self, resource, body, params=None, content_type="application/json", **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.put(
            self.url(resource, params),
            data=data,
            content_type=content_type,
            **{**self.headers, **extra},
        )

    def delete(self, resource: str, params: dict | None = None, **extra):
        return self.client.delete(self.url(resource, params), **{**self.headers, **extra})

    def store(self, *statements: dict) -> list[str]:
        response = self.post("statements", list(statements))
        assert response.status_code == 200, response.content
        return response.json()

    def query(self, **params) -> list[dict]:
        response = self.get("statements", params)
        assert response.status_code == 200, response.content
        return response.json()["statements"]


def make_client(key: str, secret: str, scope: str = "all", **fields) -> Client:
    c = Client(name=f"Client {key}", key=key, scope=scope, **fields)
    c.set_secret(secret)
    c.save()
    return c


@pytest.fixture
def lrs_client(db) -> Client:
    c = Client(name="Test", key="test-key", scope="all")
    c.set_secret("test-secret")
    c.save()
    return c


@pytest.fixture
def lrs(client, lrs_client) -> LRS:
    return LRS(client)


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ids_of(statements: list[dict]) -> list[str]:
    return [item["id"] for item in statements]


# ---------------------------------------------------------------------------------------------
# About, version header, CORS
# ---------------------------------------------------------------------------------------------


def test_about_needs_neither_version_nor_credentials(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.json()["version"]


@pytest.mark.parametrize(
    "path, extra, status",
    [
        ("/xapi/about", {}, 200),
        ("/xapi/statements", {}, 400),  # no version header
        ("/xapi/statements", VERSION, 401),  # no credentials
        ("/xapi/activities", VERSION, 401),
    ],
)
def test_every_response_carries_version_and_cors_headers(client, path, extra, status):
    response = client.get(path, **extra)
    assert response.status_code == status
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_options_preflight_is_answered_without_credentials(client):
    response = client.options(
        "/xapi/statements",
        HTTP_ORIGIN="http://tool.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]


def test_about_answers_head_like_get(client):
    assert client.head("/xapi/about").status_code == 200


def test_head_of_a_statement_has_its_headers_but_no_body(lrs):
    [statement_id] = lrs.store(statement())
    url = lrs.url("statements", {"statementId": statement_id})
    response = lrs.client.head(url, **lrs.headers)
    assert response.status_code == 200
    assert response["Last-Modified"]
    assert response.content == b""


def test_missing_version_header_is_refused_with_the_version_header(client, lrs_client):
    response = client.get("/xapi/statements", HTTP_AUTHORIZATION=basic(KEY, SECRET))
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_unsupported_version_header_is_refused(client, lrs_client):
    response = client.get(
        "/xapi/statements",
        HTTP_AUTHORIZATION=basic(KEY, SECRET),
        HTTP_X_EXPERIENCE_API_VERSION="0.9",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3"])
def test_1_0_versions_are_accepted(client, lrs_client, version):
    response = client.get(
        "/xapi/statements",
        HTTP_AUTHORIZATION=basic(KEY, SECRET),
        HTTP_X_EXPERIENCE_API_VERSION=version,
    )
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------------
# Authentication and scopes
# ---------------------------------------------------------------------------------------------


def test_missing_credentials_get_401_with_a_challenge(client, lrs_client):
    response = client.get("/xapi/statements", **VERSION)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_wrong_secret_gets_401(client, lrs_client):
    response = LRS(client, secret="not-the-secret").get("statements")
    assert response.status_code == 401


def test_inactive_client_gets_401(client):
    make_client("old-key", "old-secret", is_active=False)
    response = LRS(client, "old-key", "old-secret").get("statements")
    assert response.status_code == 401


def test_read_scope_cannot_store_statements(client):
    make_client("reader", "reader-secret", scope="read")
    response = LRS(client, "reader", "reader-secret").post("statements", statement())
    assert response.status_code == 403
    assert Statement.objects.count() == 0


def test_write_scope_cannot_read_statements(client):
    make_client("writer", "writer-secret", scope="write")
    response = LRS(client, "writer", "writer-secret").get("statements")
    assert response.status_code == 403


def test_mine_scope_reads_only_what_it_stored(client):
    make_client("alice", "alice-secret", scope="mine")
    make_client("bob", "bob-secret", scope="mine")
    alice, bob = LRS(client, "alice", "alice-secret"), LRS(client, "bob", "bob-secret")
    [alice_id] = alice.store(statement())
    [bob_id] = bob.store(statement(object=activity(OTHER_LESSON)))

    assert ids_of(alice.query()) == [alice_id]
    assert ids_of(bob.query()) == [bob_id]
    assert alice.get("statements", {"statementId": bob_id}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Storing statements (POST)
# ---------------------------------------------------------------------------------------------


def test_post_one_statement_returns_a_list_with_its_id(lrs):
    statement_id = str(uuid.uuid4())
    response = lrs.post("statements", statement(id=statement_id))
    assert response.status_code == 200
    assert response.json() == [statement_id]
    assert Statement.objects.filter(id=statement_id).exists()


def test_post_a_batch_returns_ids_in_order(lrs):
    sent = [str(uuid.uuid4()) for _ in range(3)]
    response = lrs.post("statements", [statement(id=statement_id) for statement_id in sent])
    assert response.status_code == 200
    assert response.json() == sent


def test_post_without_id_gets_a_generated_uuid(lrs):
    [statement_id] = lrs.store(statement())
    assert uuid.UUID(statement_id).version == 4
    assert lrs.get("statements", {"statementId": statement_id}).json()["id"] == statement_id


def test_lrs_sets_stored_authority_version_and_timestamp(lrs):
    [statement_id] = lrs.store(statement())
    data = lrs.get("statements", {"statementId": statement_id}).json()
    assert data["authority"] == {
        "objectType": "Agent",
        "name": "Test",
        "account": {"homePage": "http://testserver", "name": "test-key"},
    }
    assert data["version"] == "1.0.0"
    assert data["stored"]
    assert data["timestamp"] == data["stored"]


def test_sent_version_and_timestamp_are_kept(lrs):
    [statement_id] = lrs.store(statement(version="1.0.3", timestamp="2024-05-01T10:00:00+02:00"))
    data = lrs.get("statements", {"statementId": statement_id}).json()
    assert data["version"] == "1.0.3"
    assert data["timestamp"] == "2024-05-01T10:00:00+02:00"


def test_context_activities_sent_as_one_object_come_back_as_arrays(lrs):
    context = {"contextActivities": {"parent": activity(COURSE), "grouping": [activity(COURSE)]}}
    [statement_id] = lrs.store(statement(context=context))
    data = lrs.get("statements", {"statementId": statement_id}).json()
    assert data["context"]["contextActivities"] == {
        "parent": [activity(COURSE)],
        "grouping": [activity(COURSE)],
    }


# ---------------------------------------------------------------------------------------------
# Rejections: 400, the error names the property, and nothing of the request is stored
# ---------------------------------------------------------------------------------------------

SUBSTATEMENT = {"objectType": "SubStatement", **statement()}
INVALID_STATEMENTS = [
    pytest.param(without(statement(), "actor"), "actor", id="missing-actor"),
    pytest.param(
        statement(actor={"mbox": LEARNER, "openid": "http://example.org/me"}),
        "actor",
        id="actor-with-two-ifis",
    ),
    pytest.param(statement(actor=agent("learner@example.org")), "actor.mbox", id="mbox-no-mailto"),
    pytest.param(statement(verb={"id": "completed"}), "verb.id", id="verb-id-not-an-iri"),
    pytest.param(statement(colour="blue"), "colour", id="unknown-top-level-property"),
    pytest.param(statement(result=None), "result", id="null-value"),
    pytest.param(
        statement(verb={"id": COMPLETED, "display": {"en_US": "completed"}}),
        "verb.display",
        id="bad-language-tag",
    ),
    pytest.param(statement(result={"score": {"scaled": 1.5}}), "score.scaled", id="scaled-1.5"),
    pytest.param(
        statement(result={"score": {"raw": 120, "min": 0, "max": 100}}),
        "score.raw",
        id="raw-above-max",
    ),
    pytest.param(
        statement(result={"score": {"raw": -1, "min": 0, "max": 100}}),
        "score.raw",
        id="raw-below-min",
    ),
    pytest.param(statement(result={"duration": "1 hour"}), "result.duration", id="bad-duration"),
    pytest.param(
        statement(timestamp="2024-05-01T10:00:00"), "timestamp", id="timestamp-without-zone"
    ),
    pytest.param(
        statement(object=agent(TEACHER), context={"revision": "2"}),
        "context.revision",
        id="revision-with-agent-object",
    ),
    pytest.param(
        statement(object={"objectType": "SubStatement", **statement(object=SUBSTATEMENT)}),
        "object.object",
        id="substatement-in-substatement",
    ),
    pytest.param(
        statement(verb=verb(VOIDED, **{"en-US": "voided"})),
        "object",
        id="voiding-without-statementref",
    ),
    pytest.param(statement(version="2.0.0"), "version", id="version-2"),
    pytest.param(
        statement(actor={"objectType": "Group", "name": "Team"}),
        "actor",
        id="anonymous-group-without-members",
    ),
    pytest.param(
        statement(object=activity(interactionType=["choice"])),
        "interactionType",
        id="interaction-type-not-a-string",
    ),
    pytest.param(
        statement(
            attachments=[
                without({**attachment_meta(b"data"), "fileUrl": "http://example.org/c.pdf"}, "sha2")
            ]
        ),
        "sha2",
        id="attachment-without-sha2",
    ),
]


@pytest.mark.parametrize("data, path", INVALID_STATEMENTS)
def test_invalid_statement_is_refused_naming_the_property(lrs, data, path):
    response = lrs.post("statements", data)
    assert response.status_code == 400
    assert path in response.json()["error"]
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    "data, path",
    [
        case
        for case in INVALID_STATEMENTS
        if case.id in {"missing-actor", "scaled-1.5", "attachment-without-sha2"}
    ],
)
def test_batch_with_only_the_last_statement_invalid_stores_nothing(lrs, data, path):
    lrs.store(statement())  # something already there, to see that the count does not move
    response = lrs.post("statements", [statement(), statement(), data])
    assert response.status_code == 400
    assert "statements[2]" in response.json()["error"]
    assert path in response.json()["error"]
    assert Statement.objects.count() == 1


def test_malformed_json_is_refused(lrs):
    response = lrs.post("statements", '{"actor": ')
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_nan_is_not_json(lrs):
    body = json.dumps(statement(result={"score": {"raw": 5}})).replace('"raw": 5', '"raw": NaN')
    response = lrs.post("statements", body)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_a_lone_surrogate_escape_is_refused_not_a_server_error(lrs):
    lrs.client.raise_request_exception = False
    body = json.dumps(statement(actor=agent(name="\ud800")))  # the JSON escape "\ud800"
    response = lrs.post("statements", body)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# PUT and ids already known
# ---------------------------------------------------------------------------------------------


def test_put_stores_under_the_given_id(lrs):
    statement_id = str(uuid.uuid4())
    response = lrs.put("statements", statement(), {"statementId": statement_id})
    assert response.status_code == 204
    assert Statement.objects.filter(id=statement_id).exists()


def test_put_of_the_same_statement_again_is_idempotent(lrs):
    statement_id = str(uuid.uuid4())
    assert lrs.put("statements", statement(), {"statementId": statement_id}).status_code == 204
    assert lrs.put("statements", statement(), {"statementId": statement_id}).status_code == 204
    assert Statement.objects.count() == 1


def test_put_of_other_content_under_a_known_id_conflicts(lrs):
    statement_id = str(uuid.uuid4())
    lrs.put("statements", statement(), {"statementId": statement_id})
    response = lrs.put("statements", statement(verb=verb(ATTEMPTED)), {"statementId": statement_id})
    assert response.status_code == 409
    assert Statement.objects.get().verb_id == COMPLETED


def test_put_with_a_body_id_other_than_the_parameter_is_refused(lrs):
    response = lrs.put(
        "statements", statement(id=str(uuid.uuid4())), {"statementId": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_put_without_statement_id_is_refused(lrs):
    assert lrs.put("statements", statement()).status_code == 400


def test_post_of_a_known_id_with_the_same_content_is_ignored(lrs):
    data = statement(id=str(uuid.uuid4()))
    lrs.store(data)
    response = lrs.post("statements", data)
    assert response.status_code == 200
    assert response.json() == [data["id"]]
    assert Statement.objects.count() == 1


def test_post_of_a_known_id_with_other_content_conflicts_and_stores_nothing(lrs):
    known = str(uuid.uuid4())
    lrs.store(statement(id=known))
    response = lrs.post("statements", [statement(), statement(id=known, verb=verb(ATTEMPTED))])
    assert response.status_code == 409
    assert Statement.objects.count() == 1


def test_the_same_id_twice_in_one_batch_is_refused(lrs):
    twice = str(uuid.uuid4())
    response = lrs.post("statements", [statement(id=twice), statement(id=twice)])
    assert response.status_code == 400
    assert Statement.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Reading statements
# ---------------------------------------------------------------------------------------------


def test_get_by_statement_id_returns_the_statement_with_last_modified(lrs):
    [statement_id] = lrs.store(statement())
    response = lrs.get("statements", {"statementId": statement_id})
    assert response.status_code == 200
    assert response.json()["id"] == statement_id
    assert response.json()["verb"]["id"] == COMPLETED
    assert response["Last-Modified"].endswith("GMT")


def test_get_of_an_unknown_statement_id_is_404(lrs):
    assert lrs.get("statements", {"statementId": str(uuid.uuid4())}).status_code == 404


@pytest.mark.parametrize(
    "params, status",
    [({}, 200), ({"verb": "not an iri"}, 400), ({"statementId": str(uuid.uuid4())}, 404)],
)
def test_statements_responses_carry_consistent_through(lrs, params, status):
    response = lrs.get("statements", params)
    assert response.status_code == status
    assert response["X-Experience-API-Consistent-Through"]


def test_filter_agent_matches_the_actor(lrs):
    [mine] = lrs.store(statement())
    lrs.store(statement(actor=agent(TEACHER)))
    assert ids_of(lrs.query(agent={"mbox": LEARNER})) == [mine]


def test_filter_agent_matches_an_agent_object(lrs):
    [about_teacher] = lrs.store(statement(object=agent(TEACHER)))
    lrs.store(statement())
    assert ids_of(lrs.query(agent={"mbox": TEACHER})) == [about_teacher]


def test_filter_verb(lrs):
    lrs.store(statement())
    [attempted] = lrs.store(statement(verb=verb(ATTEMPTED)))
    assert ids_of(lrs.query(verb=ATTEMPTED)) == [attempted]


def test_filter_activity(lrs):
    [other] = lrs.store(statement(object=activity(OTHER_LESSON)))
    lrs.store(statement())
    assert ids_of(lrs.query(activity=OTHER_LESSON)) == [other]


def test_filter_registration(lrs):
    registration = str(uuid.uuid4())
    [registered] = lrs.store(statement(context={"registration": registration}))
    lrs.store(statement(context={"registration": str(uuid.uuid4())}))
    lrs.store(statement())
    assert ids_of(lrs.query(registration=registration)) == [registered]


def test_filter_since_and_until_on_stored(lrs):
    first, second, third = (lrs.store(statement())[0] for _ in range(3))
    stored = {str(row.id): row.stored for row in Statement.objects.all()}
    assert ids_of(lrs.query(since=stored[first].isoformat())) == [third, second]
    assert ids_of(lrs.query(until=stored[second].isoformat())) == [second, first]


def test_related_activities_matches_a_context_parent(lrs):
    context = {"contextActivities": {"parent": [activity(COURSE)]}}
    [child] = lrs.store(statement(context=context))
    lrs.store(statement(object=activity(OTHER_LESSON)))
    assert lrs.query(activity=COURSE) == []
    assert ids_of(lrs.query(activity=COURSE, related_activities="true")) == [child]


def test_related_agents_matches_the_context_instructor(lrs):
    [taught] = lrs.store(statement(context={"instructor": agent(TEACHER)}))
    lrs.store(statement())
    assert lrs.query(agent={"mbox": TEACHER}) == []
    assert ids_of(lrs.query(agent={"mbox": TEACHER}, related_agents="true")) == [taught]


def test_results_are_newest_first_unless_ascending(lrs):
    first, second = (lrs.store(statement())[0] for _ in range(2))
    assert ids_of(lrs.query()) == [second, first]
    assert ids_of(lrs.query(ascending="true")) == [first, second]


def test_limit_gives_a_more_link_that_pages_to_the_end(lrs):
    first, second = (lrs.store(statement())[0] for _ in range(2))
    page = lrs.get("statements", {"limit": 1}).json()
    assert ids_of(page["statements"]) == [second]
    assert page["more"].startswith("/xapi/statements/more/")

    response = lrs.client.get(page["more"], **lrs.headers)
    assert response.status_code == 200
    assert ids_of(response.json()["statements"]) == [first]
    assert response.json()["more"] == ""


def test_unknown_query_parameter_is_refused(lrs):
    assert lrs.get("statements", {"colour": "blue"}).status_code == 400


def test_statement_id_with_a_filter_is_refused(lrs):
    [statement_id] = lrs.store(statement())
    response = lrs.get("statements", {"statementId": statement_id, "verb": COMPLETED})
    assert response.status_code == 400


def test_format_ids_reduces_activity_and_verb_to_ids(lrs):
    definition = {
        "name": {"en-US": "Lesson one"},
        "type": "http://adlnet.gov/expapi/activities/lesson",
    }
    [statement_id] = lrs.store(statement(object=activity(**definition)))
    data = lrs.get("statements", {"statementId": statement_id, "format": "ids"}).json()
    assert data["object"] == {"id": LESSON}
    assert data["verb"] == {"id": COMPLETED}
    assert data["actor"] == {"objectType": "Agent", "mbox": LEARNER}


def test_format_canonical_picks_the_accepted_language(lrs):
    [statement_id] = lrs.store(statement(verb=verb(**{"en-US": "completed", "fr": "terminé"})))
    response = lrs.get(
        "statements",
        {"statementId": statement_id, "format": "canonical"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.json()["verb"]["display"] == {"fr": "terminé"}


# ---------------------------------------------------------------------------------------------
# Voiding
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def voided_pair(lrs) -> tuple[str, str]:
    [target] = lrs.store(statement())
    [voider] = lrs.store(voiding(target))
    return target, voider


def test_a_voided_statement_is_not_found_by_statement_id(lrs, voided_pair):
    target, _voider = voided_pair
    assert lrs.get("statements", {"statementId": target}).status_code == 404


def test_a_voided_statement_is_found_by_voided_statement_id(lrs, voided_pair):
    target, _voider = voided_pair
    response = lrs.get("statements", {"voidedStatementId": target})
    assert response.status_code == 200
    assert response.json()["id"] == target


def test_queries_leave_out_the_voided_statement_but_keep_the_voiding_one(lrs, voided_pair):
    target, voider = voided_pair
    assert ids_of(lrs.query()) == [voider]
    assert target not in ids_of(lrs.query(verb=COMPLETED))


def test_voiding_a_voiding_statement_is_refused(lrs, voided_pair):
    _target, voider = voided_pair
    response = lrs.post("statements", voiding(voider))
    assert response.status_code == 400
    assert Statement.objects.count() == 2


def test_a_statement_stored_after_its_voiding_statement_is_voided(lrs):
    target = str(uuid.uuid4())
    lrs.store(voiding(target))  # an LRS SHOULD NOT reject this for the target being absent
    lrs.store(statement(id=target))
    assert lrs.get("statements", {"statementId": target}).status_code == 404
    assert lrs.get("statements", {"voidedStatementId": target}).status_code == 200


# ---------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------

CERTIFICATE = b"%PDF-1.4 a certificate of completion\n"
MULTIPART = f'multipart/mixed; boundary="{BOUNDARY}"'


def test_post_with_an_attachment_part_is_stored_and_returned(lrs):
    data = statement(attachments=[attachment_meta(CERTIFICATE, "application/pdf")])
    body = multipart(data, [("application/pdf", CERTIFICATE, sha256(CERTIFICATE))])
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 200, response.content
    [statement_id] = response.json()

    response = lrs.get("statements", {"statementId": statement_id, "attachments": "true"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("multipart/mixed")
    assert CERTIFICATE in response.content
    assert f"X-Experience-API-Hash: {sha256(CERTIFICATE)}".encode() in response.content


def test_an_attachment_part_not_matching_its_hash_is_refused(lrs):
    data = statement(attachments=[attachment_meta(CERTIFICATE, "application/pdf")])
    body = multipart(data, [("application/pdf", b"something else", sha256(CERTIFICATE))])
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_an_attachment_part_no_statement_refers_to_is_refused(lrs):
    extra = b"unreferenced"
    data = statement(attachments=[attachment_meta(CERTIFICATE, "application/pdf")])
    body = multipart(
        data,
        [
            ("application/pdf", CERTIFICATE, sha256(CERTIFICATE)),
            ("text/plain", extra, sha256(extra)),
        ],
    )
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Signed statements
# ---------------------------------------------------------------------------------------------


def signed_request(data: dict, jws: str) -> bytes:
    signature = jws.encode()
    meta = {
        **attachment_meta(signature, "application/octet-stream", SIGNATURE),
        "display": {"en-US": "Signature"},
    }
    return multipart(
        {**data, "attachments": [meta]},
        [("application/octet-stream", signature, sha256(signature))],
    )


def test_a_signed_statement_is_accepted(lrs, rsa_key):
    data = statement(id=str(uuid.uuid4()))
    body = signed_request(data, jwt.encode(data, rsa_key, algorithm="RS256"))
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 200, response.content
    assert response.json() == [data["id"]]


def test_a_signature_over_another_statement_is_refused(lrs, rsa_key):
    data = statement(id=str(uuid.uuid4()))
    other = {**data, "verb": verb(ATTEMPTED)}
    body = signed_request(data, jwt.encode(other, rsa_key, algorithm="RS256"))
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_a_signature_with_hs256_is_refused(lrs):
    data = statement(id=str(uuid.uuid4()))
    body = signed_request(data, jwt.encode(data, "a-shared-secret-of-32-bytes-long!", "HS256"))
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def b64url(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_jws_whose_header_is_not_an_object_is_refused(lrs):
    lrs.client.raise_request_exception = False
    data = statement(id=str(uuid.uuid4()))
    jws = f"{b64url(['RS256'])}.{b64url(data)}.c2lnbmF0dXJl"
    response = lrs.post("statements", signed_request(data, jws), content_type=MULTIPART)
    assert response.status_code == 400


def test_a_signed_payload_with_a_non_string_id_is_refused(lrs, rsa_key):
    lrs.client.raise_request_exception = False
    data = statement(id=str(uuid.uuid4()))
    body = signed_request(data, jwt.encode({**data, "id": 5}, rsa_key, algorithm="RS256"))
    response = lrs.post("statements", body, content_type=MULTIPART)
    assert response.status_code == 400


# ---------------------------------------------------------------------------------------------
# Alternate request syntax (POST ?method=...)
# ---------------------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
FORM_CREDENTIALS = {
    "Authorization": basic(KEY, SECRET),
    "X-Experience-API-Version": "1.0.3",
}


def test_alternate_get_with_headers_as_form_fields(client, lrs):
    lrs.store(statement(), statement())
    response = client.post(
        "/xapi/statements?method=GET",
        data=urlencode({"limit": "1", **FORM_CREDENTIALS}),
        content_type=FORM,
    )
    assert response.status_code == 200
    assert len(response.json()["statements"]) == 1
    assert response.json()["more"]


def test_alternate_put_stores_the_content_field(client, lrs_client):
    statement_id = str(uuid.uuid4())
    fields = {"statementId": statement_id, "content": json.dumps(statement()), **FORM_CREDENTIALS}
    response = client.post("/xapi/statements?method=PUT", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 204
    assert Statement.objects.filter(id=statement_id).exists()


def test_alternate_syntax_refuses_other_query_parameters(client, lrs_client):
    response = client.post(
        "/xapi/statements?method=GET&limit=1", data=urlencode(FORM_CREDENTIALS), content_type=FORM
    )
    assert response.status_code == 400


def test_alternate_syntax_checks_the_version_form_field(client, lrs_client):
    fields = {**FORM_CREDENTIALS, "X-Experience-API-Version": "0.8"}
    response = client.post("/xapi/statements?method=GET", data=urlencode(fields), content_type=FORM)
    assert response.status_code == 400


def test_alternate_syntax_with_a_body_that_is_not_utf8_is_refused(client, lrs_client):
    client.raise_request_exception = False
    body = urlencode(FORM_CREDENTIALS).encode() + b"&limit=\xff"
    response = client.post("/xapi/statements?method=GET", data=body, content_type=FORM)
    assert response.status_code == 400


# ---------------------------------------------------------------------------------------------
# State documents
# ---------------------------------------------------------------------------------------------

STATE_SCOPE = {"activityId": LESSON, "agent": {"mbox": LEARNER}}


def state(**params) -> dict:
    return {**STATE_SCOPE, **params}


def test_state_put_then_get(lrs):
    response = lrs.put("activities/state", {"page": 3}, state(stateId="bookmark"))
    assert response.status_code == 204
    response = lrs.get("activities/state", state(stateId="bookmark"))
    assert response.status_code == 200
    assert response.json() == {"page": 3}
    assert response["Content-Type"] == "application/json"


def test_state_ids_are_listed(lrs):
    lrs.put("activities/state", {"page": 3}, state(stateId="bookmark"))
    lrs.put("activities/state", {"score": 1}, state(stateId="progress"))
    lrs.put("activities/state", {"x": 1}, state(stateId="elsewhere", activityId=OTHER_LESSON))
    assert lrs.get("activities/state", state()).json() == ["bookmark", "progress"]


def test_state_ids_since(lrs):
    lrs.put("activities/state", {"page": 3}, state(stateId="old"))
    Document.objects.filter(document_id="old").update(updated=timezone.now() - timedelta(days=1))
    lrs.put("activities/state", {"page": 4}, state(stateId="new"))
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert lrs.get("activities/state", state(since=since)).json() == ["new"]


def test_state_delete_one(lrs):
    lrs.put("activities/state", {"page": 3}, state(stateId="bookmark"))
    lrs.put("activities/state", {"score": 1}, state(stateId="progress"))
    assert lrs.delete("activities/state", state(stateId="bookmark")).status_code == 204
    assert lrs.get("activities/state", state(stateId="bookmark")).status_code == 404
    assert lrs.get("activities/state", state()).json() == ["progress"]


def test_state_delete_all_of_the_scope(lrs):
    lrs.put("activities/state", {"page": 3}, state(stateId="bookmark"))
    lrs.put("activities/state", {"score": 1}, state(stateId="progress"))
    lrs.put("activities/state", {"x": 1}, state(stateId="elsewhere", activityId=OTHER_LESSON))
    assert lrs.delete("activities/state", state()).status_code == 204
    assert lrs.get("activities/state", state()).json() == []
    assert Document.objects.get().document_id == "elsewhere"


def test_state_post_merges_json_objects(lrs):
    lrs.put("activities/state", {"page": 3, "done": False}, state(stateId="bookmark"))
    response = lrs.post("activities/state", {"done": True, "score": 7}, state(stateId="bookmark"))
    assert response.status_code == 204
    merged = lrs.get("activities/state", state(stateId="bookmark")).json()
    assert merged == {"page": 3, "done": True, "score": 7}


def test_state_post_of_non_json_onto_json_is_refused(lrs):
    lrs.put("activities/state", {"page": 3}, state(stateId="bookmark"))
    response = lrs.post(
        "activities/state", "plain text", state(stateId="bookmark"), content_type="text/plain"
    )
    assert response.status_code == 400
    assert lrs.get("activities/state", state(stateId="bookmark")).json() == {"page": 3}


def test_state_under_a_registration_is_not_seen_without_it(lrs):
    registration = str(uuid.uuid4())
    lrs.put("activities/state", {"page": 3}, state(stateId="bookmark", registration=registration))
    assert lrs.get("activities/state", state(stateId="bookmark")).status_code == 404
    assert lrs.get("activities/state", state()).json() == []
    scoped = lrs.get("activities/state", state(stateId="bookmark", registration=registration))
    assert scoped.json() == {"page": 3}


# ---------------------------------------------------------------------------------------------
# Activity and agent profiles: concurrency control
# ---------------------------------------------------------------------------------------------

PROFILES = [
    pytest.param(("activities/profile", {"activityId": LESSON}), id="activity-profile"),
    pytest.param(("agents/profile", {"agent": {"mbox": LEARNER}}), id="agent-profile"),
]


@pytest.fixture(params=PROFILES)
def profile(request, lrs):
    resource, scope = request.param

    class Profile:
        params = {**scope, "profileId": "preferences"}

        def put(self, body, **headers):
            return lrs.put(resource, body, self.params, **headers)

        def get(self):
            return lrs.get(resource, self.params)

    return Profile()


def test_profile_put_of_a_new_document_without_precondition_is_refused(profile):
    assert profile.put({"theme": "dark"}).status_code == 400
    assert profile.get().status_code == 404


def test_profile_put_with_if_none_match_star_creates(profile):
    assert profile.put({"theme": "dark"}, HTTP_IF_NONE_MATCH="*").status_code == 204
    response = profile.get()
    assert response.json() == {"theme": "dark"}
    assert re.fullmatch(r'"[0-9a-f]{40}"', response["ETag"])


def test_profile_put_over_an_existing_document_without_precondition_conflicts(profile):
    profile.put({"theme": "dark"}, HTTP_IF_NONE_MATCH="*")
    assert profile.put({"theme": "light"}).status_code == 409
    assert profile.get().json() == {"theme": "dark"}


def test_profile_put_with_a_wrong_if_match_fails_the_precondition(profile):
    profile.put({"theme": "dark"}, HTTP_IF_NONE_MATCH="*")
    response = profile.put({"theme": "light"}, HTTP_IF_MATCH=f'"{"0" * 40}"')
    assert response.status_code == 412
    assert profile.get().json() == {"theme": "dark"}


def test_profile_put_with_the_current_etag_replaces(profile):
    profile.put({"theme": "dark"}, HTTP_IF_NONE_MATCH="*")
    etag = profile.get()["ETag"]
    assert profile.put({"theme": "light"}, HTTP_IF_MATCH=etag).status_code == 204
    assert profile.get().json() == {"theme": "light"}
    assert profile.get()["ETag"] != etag


def test_profile_put_with_if_none_match_star_over_an_existing_document_fails(profile):
    profile.put({"theme": "dark"}, HTTP_IF_NONE_MATCH="*")
    assert profile.put({"theme": "light"}, HTTP_IF_NONE_MATCH="*").status_code == 412
    assert profile.get().json() == {"theme": "dark"}


# ---------------------------------------------------------------------------------------------
# Activities and agents resources
# ---------------------------------------------------------------------------------------------


def test_activity_definition_merges_names_in_several_languages(lrs):
    lrs.store(statement(object=activity(name={"en-US": "Lesson one"})))
    lrs.store(statement(object=activity(name={"fr": "Leçon un"})))
    response = lrs.get("activities", {"activityId": LESSON})
    assert response.status_code == 200
    assert response.json()["definition"]["name"] == {"en-US": "Lesson one", "fr": "Leçon un"}
    assert Activity.objects.count() == 1


def test_unknown_activity_is_returned_with_just_its_id(lrs):
    response = lrs.get("activities", {"activityId": OTHER_LESSON})
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": OTHER_LESSON}


def test_agents_resource_returns_a_person_with_arrays(lrs):
    response = lrs.get("agents", {"agent": {"mbox": LEARNER, "name": "Learner"}})
    assert response.status_code == 200
    assert response.json() == {"objectType": "Person", "name": ["Learner"], "mbox": [LEARNER]}


# ---------------------------------------------------------------------------------------------
# Forwarding to an external LRS (outbox)
# ---------------------------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, status_code: int = 200):
        self.status_code = status_code
        self.text = ""


class FakeLRS:
    """The external LRS at the `requests.post` boundary: it stores statements by id, and can be
    told to fail (connection refused) or to lose its answer after storing."""

    def __init__(self):
        self.calls: list[dict] = []
        self.stored: dict[str, dict] = {}
        self.failures: list[Exception] = []
        self.refused: set[str] = set()  # ids it answers 400 for, refusing the whole batch

    def post(self, url, **kwargs):
        body = kwargs.get("data")
        content_type = kwargs.get("headers", {}).get("Content-Type", "")
        if content_type.startswith("multipart/mixed"):
            # The statements are the first part; attachments follow.
            body = body.split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0]
        json = jsonlib.loads(body) if body else kwargs.get("json")
        call = {"url": url, "json": copy.deepcopy(json), "auth": kwargs.get("auth")}
        self.calls.append({**call, "kwargs": kwargs})
        if self.failures and isinstance(self.failures[0], requests.ConnectionError):
            raise self.failures.pop(0)
        if any(item["id"] in self.refused for item in json or []):
            return FakeResponse(400)
        for item in json or []:
            self.stored.setdefault(item["id"], item)  # an LRS ignores a known id
        if self.failures:
            raise self.failures.pop(0)  # stored, but the answer is lost
        return FakeResponse(200)


@pytest.fixture
def forwarding(settings, monkeypatch) -> FakeLRS:
    settings.XAPI_FORWARD_ENDPOINT = "http://lrs.example/xapi"
    settings.XAPI_FORWARD_KEY = "forward-key"
    settings.XAPI_FORWARD_SECRET = "forward-secret"
    fake = FakeLRS()
    monkeypatch.setattr(requests, "post", fake.post)
    return fake


def test_storing_a_statement_queues_it_for_forwarding(lrs, forwarding):
    [statement_id] = lrs.store(statement())
    entry = OutboxEntry.objects.get()
    assert str(entry.statement_id) == statement_id
    assert entry.attempts == 0


def test_forwarding_sends_the_stored_statement_unchanged_and_empties_the_outbox(lrs, forwarding):
    [statement_id] = lrs.store(statement())
    assert services.forward_batch(now=timezone.now()) == 1
    [call] = forwarding.calls
    assert call["url"] == "http://lrs.example/xapi/statements"
    assert call["auth"] == ("forward-key", "forward-secret")
    assert call["json"] == [Statement.objects.get(id=statement_id).data]
    assert call["json"][0]["id"] == statement_id
    assert not OutboxEntry.objects.exists()


def test_a_failed_forward_is_retried_after_a_backoff(lrs, forwarding):
    [statement_id] = lrs.store(statement())
    forwarding.failures.append(requests.ConnectionError("connection refused"))
    now = timezone.now()

    assert services.forward_batch(now=now) == 0
    entry = OutboxEntry.objects.get()
    assert entry.attempts == 1
    assert "ConnectionError" in entry.last_error
    assert entry.next_attempt_at > now

    assert services.forward_batch(now=now + timedelta(seconds=5)) == 0
    assert len(forwarding.calls) == 1  # not yet due: nothing sent

    assert services.forward_batch(now=entry.next_attempt_at + timedelta(seconds=1)) == 1
    assert len(forwarding.calls) == 2
    assert not OutboxEntry.objects.exists()
    assert list(forwarding.stored) == [statement_id]


def test_a_resend_after_a_lost_answer_carries_the_same_id(lrs, forwarding):
    [statement_id] = lrs.store(statement())
    forwarding.failures.append(requests.ReadTimeout("no answer"))
    now = timezone.now()

    assert services.forward_batch(now=now) == 0  # the LRS stored it, but the answer was lost
    assert services.forward_batch(now=now + timedelta(hours=1)) == 1

    sent_ids = [call["json"][0]["id"] for call in forwarding.calls]
    assert sent_ids == [statement_id, statement_id]
    assert list(forwarding.stored) == [statement_id]  # no duplicate on the receiving side
    assert not OutboxEntry.objects.exists()


def test_forwarding_includes_the_attachment_data(lrs, forwarding):
    data = statement(attachments=[attachment_meta(CERTIFICATE, "application/pdf")])
    body = multipart(data, [("application/pdf", CERTIFICATE, sha256(CERTIFICATE))])
    assert lrs.post("statements", body, content_type=MULTIPART).status_code == 200
    services.forward_batch(now=timezone.now())
    [call] = forwarding.calls
    assert "a certificate of completion" in repr(call["kwargs"])


def test_a_statement_the_external_lrs_refuses_does_not_hold_back_the_others(lrs, forwarding):
    ids = [lrs.store(statement())[0] for _ in range(7)]
    forwarding.refused.add(ids[4])
    now = timezone.now()

    assert services.forward_batch(now=now) == 6
    assert set(forwarding.stored) == set(ids) - {ids[4]}
    entry = OutboxEntry.objects.get()
    assert str(entry.statement_id) == ids[4]
    assert entry.attempts == 1 and entry.last_error.startswith("HTTP 400")
    assert len(forwarding.calls) <= 1 + 2 * 3  # halves, not one request per statement

    forwarding.refused.clear()  # e.g. the partner fixed its validation
    assert services.forward_batch(now=entry.next_attempt_at) == 1
    assert set(forwarding.stored) == set(ids)


def test_when_the_external_lrs_answers_again_the_whole_backlog_is_due(lrs, forwarding):
    from xapi import tasks

    ids = [lrs.store(statement())[0] for _ in range(5)]
    later = [lrs.store(statement())[0] for _ in range(2)]  # waiting without a failure yet
    forwarding.refused.add(ids[0])
    now = timezone.now()
    backlog = OutboxEntry.objects.filter(statement_id__in=ids[1:]).order_by("pk")
    for attempts, entry in enumerate(backlog, start=1):
        # Down for a while: entries sit on backoffs of up to hours.
        entry.attempts = attempts * 4
        entry.last_error = "ConnectionError: refused"
        entry.next_attempt_at = now + services.forward_backoff(entry.attempts)
        entry.save()
    refused = OutboxEntry.objects.get(statement_id=ids[0])
    refused.attempts, refused.refused = 2, True
    refused.next_attempt_at = now + timedelta(minutes=1)
    refused.save()

    assert services.forward_batch(now=now) == 2
    assert OutboxEntry.objects.filter(next_attempt_at__lte=now).count() == 4
    assert tasks.forward_drain.apply().get() == 4
    assert set(forwarding.stored) == set(ids[1:] + later)
    assert list(OutboxEntry.objects.values_list("statement_id", flat=True)) == [
        refused.statement_id
    ]
