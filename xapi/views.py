"""The LRS's HTTP interface at /xapi/ (xAPI 1.0.3, part three): version headers, CORS, the
alternate request syntax, authentication, then one handler per resource and method.

Over 500 lines: one handler per resource and method of the specification, in its order, so that
the file can be checked against it top to bottom."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import multipart, selectors, services, validation
from .auth import authenticate
from .errors import XAPIError
from .models import Attachment, Document

VERSION = "1.0.3"
SUPPORTED_VERSIONS = re.compile(r"^1\.0(?:\.[0-3])?$")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Origin, Content-Type, Content-Length, Authorization, X-Experience-API-Version, "
        "If-Match, If-None-Match, Accept-Language"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, "
        "X-Experience-API-Version, X-Experience-API-Consistent-Through"
    ),
}
HEADER_FIELDS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}


class Call:
    """One request as the LRS sees it, after the alternate syntax is unfolded."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.method = request.method
        self.headers = {
            name: request.META[key] for name, key in HEADER_FIELDS.items() if key in request.META
        }
        self.params = dict(request.GET.items())
        self.body = request.body
        if self.method == "POST" and "method" in request.GET:
            self._alternate()
        self.content_type = self.headers.get("content-type", "")

    def _alternate(self) -> None:
        method = self.request.GET["method"].upper()
        if method not in ("GET", "PUT", "POST", "DELETE"):
            raise XAPIError(400, "method: must be GET, PUT, POST or DELETE")
        if set(self.request.GET) != {"method"}:
            raise XAPIError(400, "alternate request syntax: only method may be in the query string")
        content_type = self.request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            raise XAPIError(400, "alternate request syntax: the body must be a form")
        try:
            text = self.request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise XAPIError(400, "alternate request syntax: the form is not UTF-8") from None
        fields = dict(parse_qsl(text, keep_blank_values=True))
        self.method = method
        # Headers may come as real headers or as form fields; form fields win.
        self.headers = {
            name: value for name, value in self.headers.items() if name != "content-type"
        }
        self.params = {}
        self.body = b""
        for name, value in fields.items():
            lower = name.lower()
            if lower in HEADER_FIELDS:
                self.headers[lower] = value
            elif name == "content":
                self.body = value.encode("utf-8")
            else:
                self.params[name] = value
        if method in ("PUT", "POST") and "content" not in fields:
            raise XAPIError(400, "alternate request syntax: the content field is required")
        self.headers.setdefault("content-type", "application/json")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def _with_headers(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = VERSION
    for name, value in CORS_HEADERS.items():
        response[name] = value
    return response


def _error(error: XAPIError) -> HttpResponse:
    response = JsonResponse({"error": error.message}, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def resource(
    handler, *, needs_version: bool = True, needs_auth: bool = True, consistent: bool = False
):
    @csrf_exempt
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return _with_headers(HttpResponse(status=200))
        try:
            call = Call(request)
            if needs_version:
                version = call.header("x-experience-api-version")
                if not version:
                    raise XAPIError(400, "X-Experience-API-Version header is required")
                if not SUPPORTED_VERSIONS.match(version.strip()):
                    raise XAPIError(400, f"X-Experience-API-Version {version} is not supported")
            credentials = authenticate(call.header("authorization")) if needs_auth else None
            response = handler(call, credentials, **kwargs)
        except XAPIError as error:
            response = _error(error)
        if consistent and "X-Experience-API-Consistent-Through" not in response:
            _consistent(response)
        return _with_headers(response)

    return view


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _only(params: dict, allowed: set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise XAPIError(400, f"{name}: not a parameter of this resource")


def _json_param(params: dict, name: str):
    try:
        return json.loads(params[name])
    except ValueError:
        raise XAPIError(400, f"{name}: not valid JSON") from None


def _agent_param(params: dict, name: str = "agent") -> dict:
    value = _json_param(params, name)
    validation.agent(value, name)
    return value


def _bool_param(params: dict, name: str) -> bool:
    value = params[name].lower()
    if value not in ("true", "false"):
        raise XAPIError(400, f"{name}: must be true or false")
    return value == "true"


def _time_param(params: dict, name: str) -> datetime:
    return validation.timestamp(params[name], name)


def _uuid_param(params: dict, name: str) -> str:
    return validation.uuid_string(params[name], name).lower()


# ---------------------------------------------------------------------------------------------
# About
# ---------------------------------------------------------------------------------------------


def about(call: Call, credentials) -> HttpResponse:
    if call.method not in ("GET", "HEAD"):
        raise XAPIError(405, "about: GET only")
    return JsonResponse({"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"], "extensions": {}})


# ---------------------------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------------------------


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def _statements_body(call: Call):
    if call.content_type.startswith("multipart/mixed"):
        body, attachments = multipart.parse(call.content_type, call.body)
    else:
        if call.content_type and not call.content_type.startswith("application/json"):
            raise XAPIError(400, "Content-Type: statements are application/json or multipart/mixed")
        body, attachments = call.body, {}
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
        # Lone surrogates (\ud800...) parse but are not text: refuse them here.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError, ValueError):
        raise XAPIError(400, "the body is not valid JSON") from None
    return data, {digest.lower(): part for digest, part in attachments.items()}


def statements(call: Call, credentials) -> HttpResponse:
    if call.method == "PUT":
        _only(call.params, {"statementId"})
        if "statementId" not in call.params:
            raise XAPIError(400, "statementId: required for PUT")
        statement_id = _uuid_param(call.params, "statementId")
        data, attachments = _statements_body(call)
        if not isinstance(data, dict):
            raise XAPIError(400, "PUT takes one statement (a JSON object)")
        services.statements_store(
            statements=[data],
            credentials=credentials,
            attachments=attachments,
            forced_id=statement_id,
        )
        return HttpResponse(status=204)
    if call.method == "POST":
        if call.params:
            _only(call.params, set())
        data, attachments = _statements_body(call)
        batch = data if isinstance(data, list) else [data]
        if not batch:
            raise XAPIError(400, "no statements")
        ids = services.statements_store(
            statements=batch, credentials=credentials, attachments=attachments
        )
        return JsonResponse(ids, safe=False)
    if call.method in ("GET", "HEAD"):
        return _statements_get(call, credentials)
    raise XAPIError(405, "statements: GET, PUT or POST")


STATEMENT_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


def _languages(call: Call) -> list[str]:
    header = call.request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    return [part.split(";")[0].strip() for part in header.split(",") if part.strip()]


def _statements_get(call: Call, credentials, more: str | None = None) -> HttpResponse:
    if not credentials.can_read:
        raise XAPIError(403, "these credentials may not read statements")
    params = call.params
    if more is not None:
        query, cursor = selectors.more_params(more)
    else:
        _only(params, STATEMENT_PARAMS)
        query, cursor = _statement_query(params), None
    fmt = query.get("format", "exact")
    with_attachments = query.get("attachments", False)
    languages = _languages(call)
    single = "statementId" in params or "voidedStatementId" in params
    if single and more is None:
        allowed = {"statementId", "voidedStatementId", "format", "attachments"}
        if set(params) - allowed or ("statementId" in params and "voidedStatementId" in params):
            raise XAPIError(400, "statementId and voidedStatementId take no filters")
        voided = "voidedStatementId" in params
        statement_id = _uuid_param(params, "voidedStatementId" if voided else "statementId")
        row = selectors.statement_by_id(
            statement_id=statement_id, voided=voided, credentials=credentials
        )
        if row is None:
            raise XAPIError(404, "no such statement")
        body = selectors.formatted(row.data, fmt, languages)
        response = _statement_response(body, [row.data] if with_attachments else [])
        response["Last-Modified"] = format_datetime(row.stored, usegmt=True)
        return _consistent(response)
    page, next_cursor = selectors.statements_query(
        params=query, credentials=credentials, after=cursor
    )
    result = {
        "statements": [selectors.formatted(row.data, fmt, languages) for row in page],
        "more": "",
    }
    if next_cursor is not None:
        token = selectors.more_token(params=query, cursor=next_cursor)
        result["more"] = f"/xapi/statements/more/{token}"
    response = _statement_response(result, [row.data for row in page] if with_attachments else [])
    return _consistent(response)


# A batch's `stored` time is taken before its transaction commits (milliseconds, a second or
# so under heavy load): the LRS only vouches for what was stored this long ago.
CONSISTENCY_MARGIN = timedelta(seconds=2)


def _consistent(response: HttpResponse) -> HttpResponse:
    through = timezone.now() - CONSISTENCY_MARGIN
    response["X-Experience-API-Consistent-Through"] = through.isoformat().replace("+00:00", "Z")
    return response


def _statement_response(body: dict, statements_with_attachments: list[dict]) -> HttpResponse:
    if not statements_with_attachments:
        return JsonResponse(body)
    digests = {
        item["sha2"]
        for statement in statements_with_attachments
        for item in statement.get("attachments", [])
    }
    stored = {a.sha2: a for a in Attachment.objects.filter(sha2__in=digests)}
    content_type, payload = multipart.compose(
        json.dumps(body).encode(),
        [(d, stored[d].content_type, bytes(stored[d].content)) for d in sorted(stored)],
    )
    return HttpResponse(payload, content_type=content_type)


def _statement_query(params: dict) -> dict:
    query: dict = {}
    if "agent" in params:
        query["agent"] = validation.ifi_key(_agent_param(params)) or ""
    if "verb" in params:
        query["verb"] = validation.iri(params["verb"], "verb")
    if "activity" in params:
        query["activity"] = validation.iri(params["activity"], "activity")
    if "registration" in params:
        query["registration"] = _uuid_param(params, "registration")
    for name in ("related_activities", "related_agents", "attachments", "ascending"):
        if name in params:
            query[name] = _bool_param(params, name)
    for name in ("since", "until"):
        if name in params:
            query[name] = _time_param(params, name).isoformat()
    if "limit" in params:
        try:
            query["limit"] = int(params["limit"])
        except ValueError:
            raise XAPIError(400, "limit: must be a whole number") from None
        if query["limit"] < 0:
            raise XAPIError(400, "limit: must not be negative")
    if "format" in params:
        if params["format"] not in ("ids", "exact", "canonical"):
            raise XAPIError(400, "format: must be ids, exact or canonical")
        query["format"] = params["format"]
    return query


def statements_more(call: Call, credentials, token: str) -> HttpResponse:
    if call.method not in ("GET", "HEAD"):
        raise XAPIError(405, "more: GET only")
    return _statements_get(call, credentials, more=token)


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def _document_response(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = format_datetime(document.updated, usegmt=True)
    return response


def _documents(
    call: Call, credentials, *, kind: str, scope: dict, id_param: str, concurrency: bool
):
    params = call.params
    document_id = params.get(id_param)
    if call.method in ("PUT", "POST"):
        if not credentials.can_write:
            raise XAPIError(403, "these credentials may not write documents")
        if document_id is None:
            raise XAPIError(400, f"{id_param}: required")
        document = services.document_save(
            scope={**scope, "kind": kind, "document_id": document_id},
            content=call.body,
            content_type=call.content_type or "application/octet-stream",
            merge=call.method == "POST",
            if_match=call.header("if-match"),
            if_none_match=call.header("if-none-match"),
            require_precondition=concurrency and call.method == "PUT",
        )
        response = HttpResponse(status=204)
        response["ETag"] = f'"{document.etag}"'
        return response
    if call.method in ("GET", "HEAD"):
        if not credentials.can_read:
            raise XAPIError(403, "these credentials may not read documents")
        if document_id is not None:
            if "since" in params:
                raise XAPIError(400, f"since: not with {id_param}")
            document = selectors.document(scope={**scope, "kind": kind, "document_id": document_id})
            if document is None:
                raise XAPIError(404, "no such document")
            return _document_response(document)
        since = _time_param(params, "since") if "since" in params else None
        ids = selectors.document_ids(scope={**scope, "kind": kind}, since=since)
        return JsonResponse(ids, safe=False)
    if call.method == "DELETE":
        if not credentials.can_write:
            raise XAPIError(403, "these credentials may not delete documents")
        delete_scope = {**scope, "kind": kind}
        if document_id is not None:
            delete_scope["document_id"] = document_id
        elif kind != "state":
            raise XAPIError(400, f"{id_param}: required")
        services.documents_delete(scope=delete_scope, if_match=call.header("if-match"))
        return HttpResponse(status=204)
    raise XAPIError(405, "use GET, PUT, POST or DELETE")


def state(call: Call, credentials) -> HttpResponse:
    params = call.params
    _only(params, {"activityId", "agent", "registration", "stateId", "since"})
    for name in ("activityId", "agent"):
        if name not in params:
            raise XAPIError(400, f"{name}: required")
    scope = {
        "activity_id": validation.iri(params["activityId"], "activityId"),
        "agent_ifi": validation.ifi_key(_agent_param(params)) or "",
        "registration": _uuid_param(params, "registration") if "registration" in params else "",
    }
    if call.method in ("PUT", "POST") and "since" in params:
        raise XAPIError(400, "since: only for GET")
    return _documents(
        call, credentials, kind="state", scope=scope, id_param="stateId", concurrency=False
    )


def activity_profile(call: Call, credentials) -> HttpResponse:
    params = call.params
    _only(params, {"activityId", "profileId", "since"})
    if "activityId" not in params:
        raise XAPIError(400, "activityId: required")
    scope = {
        "activity_id": validation.iri(params["activityId"], "activityId"),
        "agent_ifi": "",
        "registration": "",
    }
    return _documents(
        call,
        credentials,
        kind="activity_profile",
        scope=scope,
        id_param="profileId",
        concurrency=True,
    )


def agent_profile(call: Call, credentials) -> HttpResponse:
    params = call.params
    _only(params, {"agent", "profileId", "since"})
    if "agent" not in params:
        raise XAPIError(400, "agent: required")
    scope = {
        "activity_id": "",
        "agent_ifi": validation.ifi_key(_agent_param(params)) or "",
        "registration": "",
    }
    return _documents(
        call, credentials, kind="agent_profile", scope=scope, id_param="profileId", concurrency=True
    )


def activities(call: Call, credentials) -> HttpResponse:
    if call.method not in ("GET", "HEAD"):
        raise XAPIError(405, "activities: GET only")
    _only(call.params, {"activityId"})
    if "activityId" not in call.params:
        raise XAPIError(400, "activityId: required")
    activity_id = validation.iri(call.params["activityId"], "activityId")
    return JsonResponse(selectors.activity(activity_id=activity_id))


def agents(call: Call, credentials) -> HttpResponse:
    if call.method not in ("GET", "HEAD"):
        raise XAPIError(405, "agents: GET only")
    _only(call.params, {"agent"})
    if "agent" not in call.params:
        raise XAPIError(400, "agent: required")
    return JsonResponse(selectors.person(agent=_agent_param(call.params)))


about_view = resource(about, needs_version=False, needs_auth=False)
statements_view = resource(statements, consistent=True)
statements_more_view = resource(statements_more, consistent=True)
state_view = resource(state)
activity_profile_view = resource(activity_profile)
agent_profile_view = resource(agent_profile)
activities_view = resource(activities)
agents_view = resource(agents)


@csrf_exempt
def cmi5_fetch(request: HttpRequest, key: str, code: str) -> HttpResponse:
    """cmi5 fetch URL: POST once to receive the launch's auth token."""
    if request.method != "POST":
        return _with_headers(
            JsonResponse({"error-code": "3", "error-text": "POST only"}, status=405)
        )
    try:
        token = services.cmi5_fetch(key=key, fetch_code=code)
    except XAPIError as error:
        texts = {"1": "already fetched", "2": "unknown fetch URL", "3": "launch expired"}
        return _with_headers(
            JsonResponse(
                {"error-code": error.message, "error-text": texts.get(error.message, "")},
                status=400,
            )
        )
    return _with_headers(JsonResponse({"auth-token": token}))
