"""Manifests: tincan.xml, cmi5.xml and imsmanifest.xml (with the schemas it names) parsed with
defusedxml; launch files, units and SCORM 2004 sequencing checked.

Over 500 lines: the three manifest formats' readers share their checks of launch files and
units, and are audited together."""

from __future__ import annotations

import posixpath
import zipfile
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element
from . import archive as zip_reading  # (it imports this module too: looked up at call time)
from . import limits
from .limits import (
    _DECIMAL,
    ADLCP12_NAMESPACE,
    ADLCP2004_NAMESPACE,
    ADLSEQ_NAMESPACE,
    CMI5_DEFAULT_LAUNCH_METHOD,
    CMI5_DEFAULT_MOVE_ON,
    CMI5_LAUNCH_METHODS,
    CMI5_MOVE_ON_VALUES,
    CMI5_NAMESPACE,
    COURSE_ACTIVITY_TYPE,
    IMSSS_NAMESPACE,
    REMOTE_LAUNCH_SCHEMES,
    SCORM12_NAMESPACE,
    SCORM2004_NAMESPACE,
    SCORM_CONTROL_MODE_ALLOWED,
    SCORM_CONTROL_MODE_REFUSED_TRUE,
    SCORM_SEQUENCING_ALLOWED,
    TINCAN_NAMESPACE,
    XML_NAMESPACE,
    XSI_NAMESPACE,
)
from .results import PackageActivity, PackageError
from .wording import _first_text, _is_iri, _raise_if_any, _show, _show_tag, _sizes

# --- Manifests -----------------------------------------------------------------------------------


def _parse_xml(data: bytes, where: str) -> Element:
    shown = _show(where)
    try:
        return SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise PackageError(
            _(
                "“%(name)s”: DTDs and entities are not accepted in a manifest (the file has a "
                "DOCTYPE declaration)."
            )
            % {"name": shown}
        ) from None
    except EntitiesForbidden as exc:
        raise PackageError(
            _(
                "“%(name)s”: DTDs and entities are not accepted in a manifest (the entity "
                "“%(entity)s” is declared)."
            )
            % {"name": shown, "entity": _show(str(exc.name))}
        ) from None
    except ExternalReferenceForbidden:
        raise PackageError(
            _("“%(name)s”: references to external files or addresses are not accepted.")
            % {"name": shown}
        ) from None
    except SafeElementTree.ParseError as exc:
        raise PackageError(
            _("“%(name)s” is not well-formed XML (%(error)s).") % {"name": shown, "error": exc}
        ) from None


def _read_tincan(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{TINCAN_NAMESPACE}}}{name}"

    if tree.tag != tag("tincan"):
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <tincan> in the namespace %(namespace)s "
                "(found %(found)s)."
            )
            % {"name": where, "namespace": TINCAN_NAMESPACE, "found": _show_tag(tree.tag)}
        )
    problems: list[str] = []
    activities: list[PackageActivity] = []
    course: tuple[str, str] | None = None
    first: tuple[str, str] | None = None
    seen_ids: set[str] = set()
    for element in tree.iterfind(f"{tag('activities')}/{tag('activity')}"):
        activity_id = (element.get("id") or "").strip()
        if not _is_iri(activity_id):
            problems.append(
                _(
                    "“%(name)s”: the activity id “%(id)s” must be an absolute IRI (a full "
                    "identifier starting with a scheme, such as https://… or urn:…)."
                )
                % {"name": where, "id": _show(activity_id)}
            )
            continue
        if activity_id in seen_ids:
            problems.append(
                _("“%(name)s”: the activity id “%(id)s” is used more than once.")
                % {"name": where, "id": _show(activity_id)}
            )
            continue
        seen_ids.add(activity_id)
        title = _first_text(element.findall(tag("name")))
        if first is None:
            first = (activity_id, title)
        if course is None and (element.get("type") or "").strip() == COURSE_ACTIVITY_TYPE:
            course = (activity_id, title)
        launches = element.findall(tag("launch"))
        if not launches:
            continue
        launch = _first_text(launches)
        problem = _launch_problem(launch, files=files, allow_remote=False)
        if problem:
            problems.append(
                # Translators: %(problem)s is one of the launch location messages, e.g.
                # "the file “story.html” is not in the package."
                _("“%(name)s”, launch of activity “%(id)s”: %(problem)s")
                % {"name": where, "id": _show(activity_id), "problem": problem}
            )
            continue
        activities.append(PackageActivity(activity_id=activity_id, title=title, launch=launch))
    _raise_if_any(problems)
    if first is None:
        raise PackageError(
            _("“%(name)s”: no <activity> found under <activities>.") % {"name": where}
        )
    if not activities:
        raise PackageError(_("“%(name)s”: no activity has a <launch> element.") % {"name": where})
    course_id, title = course or first
    return course_id, title or activities[0].title, tuple(activities)


def _read_cmi5(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{CMI5_NAMESPACE}}}{name}"

    if tree.tag != tag("courseStructure"):
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <courseStructure> in the namespace "
                "%(namespace)s (found %(found)s)."
            )
            % {"name": where, "namespace": CMI5_NAMESPACE, "found": _show_tag(tree.tag)}
        )
    courses = tree.findall(tag("course"))
    if len(courses) != 1:
        raise PackageError(
            _("“%(name)s”: exactly one <course> element is required.") % {"name": where}
        )
    course = courses[0]
    course_id = (course.get("id") or "").strip()
    problems: list[str] = []
    if not _is_iri(course_id):
        problems.append(
            _(
                "“%(name)s”: the course id “%(id)s” must be an absolute IRI (a full identifier "
                "starting with a scheme, such as https://… or urn:…)."
            )
            % {"name": where, "id": _show(course_id)}
        )
    course_title = _first_text(course.findall(f"{tag('title')}/{tag('langstring')}"))

    activities: list[PackageActivity] = []
    seen_ids: set[str] = set()
    for au in tree.iter(tag("au")):  # document order, including AUs nested in blocks
        au_id = (au.get("id") or "").strip()
        where_au = {"name": where, "au": _show(au_id)}
        count = len(problems)
        if not _is_iri(au_id):
            problems.append(
                _(
                    "“%(name)s”, AU “%(au)s”: the id must be an absolute IRI (a full identifier "
                    "starting with a scheme, such as https://… or urn:…)."
                )
                % where_au
            )
        elif au_id in seen_ids:
            problems.append(_("“%(name)s”, AU “%(au)s”: the id is used more than once.") % where_au)
        seen_ids.add(au_id)

        move_on = (au.get("moveOn") or CMI5_DEFAULT_MOVE_ON).strip()
        if move_on not in CMI5_MOVE_ON_VALUES:
            problems.append(
                _("“%(name)s”, AU “%(au)s”: moveOn “%(value)s” is not one of %(allowed)s.")
                % {**where_au, "value": _show(move_on), "allowed": ", ".join(CMI5_MOVE_ON_VALUES)}
            )
        launch_method = (au.get("launchMethod") or CMI5_DEFAULT_LAUNCH_METHOD).strip()
        if launch_method not in CMI5_LAUNCH_METHODS:
            problems.append(
                _("“%(name)s”, AU “%(au)s”: launchMethod “%(value)s” is not one of %(allowed)s.")
                % {
                    **where_au,
                    "value": _show(launch_method),
                    "allowed": ", ".join(CMI5_LAUNCH_METHODS),
                }
            )
        mastery_score: float | None = None
        raw_score = au.get("masteryScore")
        if raw_score is not None:
            text = raw_score.strip()
            if _DECIMAL.match(text) and 0 <= float(text) <= 1:
                mastery_score = float(text)
            else:
                problems.append(
                    _(
                        "“%(name)s”, AU “%(au)s”: masteryScore “%(value)s” must be a decimal "
                        "number from 0 to 1."
                    )
                    % {**where_au, "value": _show(raw_score)}
                )
        url_elements = au.findall(tag("url"))
        url = _first_text(url_elements)
        if not url_elements:
            problems.append(_("“%(name)s”, AU “%(au)s”: the <url> element is missing.") % where_au)
        else:
            problem = _launch_problem(url, files=files, allow_remote=True)
            if problem:
                problems.append(
                    # Translators: %(problem)s is one of the launch location messages, e.g.
                    # "the file “module1/index.html” is not in the package."
                    _("“%(name)s”, AU “%(au)s”, url: %(problem)s")
                    % {**where_au, "problem": problem}
                )
        if len(problems) > count:
            continue
        activities.append(
            PackageActivity(
                activity_id=au_id,
                title=_first_text(au.findall(f"{tag('title')}/{tag('langstring')}")) or au_id,
                launch=url,
                launch_parameters=(au.findtext(tag("launchParameters")) or "").strip(),
                move_on=move_on,
                mastery_score=mastery_score,
                launch_method=launch_method,
            )
        )
    _raise_if_any(problems)
    if not activities:
        raise PackageError(
            _("“%(name)s”: the course has no <au> (assignable unit).") % {"name": where}
        )
    return course_id, course_title, tuple(activities)


def _read_scorm(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, str, tuple[PackageActivity, ...]]:
    """A SCORM content package: (kind, manifest identifier, title, SCOs in document order)."""
    shown = _show(where)
    if tree.tag == f"{{{SCORM12_NAMESPACE}}}manifest":
        namespace, adlcp = SCORM12_NAMESPACE, ADLCP12_NAMESPACE
    elif tree.tag == f"{{{SCORM2004_NAMESPACE}}}manifest":
        namespace, adlcp = SCORM2004_NAMESPACE, ADLCP2004_NAMESPACE
    else:
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <manifest> in the namespace of SCORM 1.2 "
                "(%(scorm12)s) or SCORM 2004 (%(scorm2004)s) (found %(found)s)."
            )
            % {
                "name": shown,
                "scorm12": SCORM12_NAMESPACE,
                "scorm2004": SCORM2004_NAMESPACE,
                "found": _show_tag(tree.tag),
            }
        )

    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}"

    schema_version = (tree.findtext(f"{tag('metadata')}/{tag('schemaversion')}") or "").strip()
    if namespace == SCORM12_NAMESPACE:
        kind = "scorm12"
        if schema_version not in ("", "1.2"):
            raise PackageError(
                _(
                    "“%(name)s”: a SCORM 1.2 manifest must declare the schema version 1.2 (found "
                    "“%(found)s”)."
                )
                % {"name": shown, "found": _show(schema_version)}
            )
    else:
        kind = "scorm2004"
        if schema_version not in ("", "CAM 1.3", "2004 3rd Edition", "2004 4th Edition"):
            raise PackageError(
                _(
                    "“%(name)s”: the schema version “%(found)s” is not one of SCORM 2004's (CAM "
                    "1.3, 2004 3rd Edition, 2004 4th Edition)."
                )
                % {"name": shown, "found": _show(schema_version)}
            )
    identifier = (tree.get("identifier") or "").strip()
    problems: list[str] = []
    if not identifier:
        problems.append(_("“%(name)s”: the <manifest> has no identifier.") % {"name": shown})

    problems.extend(_sequencing_problems(tree, where=shown))

    organizations = tree.find(tag("organizations"))
    organization_list = (
        organizations.findall(tag("organization")) if organizations is not None else []
    )
    default = (organizations.get("default") or "").strip() if organizations is not None else ""
    organization = next(
        (o for o in organization_list if (o.get("identifier") or "").strip() == default),
        organization_list[0] if organization_list else None,
    )
    if organization is None:
        problems.append(
            _("“%(name)s”: the manifest has no <organization> to launch.") % {"name": shown}
        )
        _raise_if_any(problems)
    resources_element = tree.find(tag("resources"))
    resources_base = (
        resources_element.get(f"{{{XML_NAMESPACE}}}base", "")
        if resources_element is not None
        else ""
    )
    resources = {
        (resource.get("identifier") or "").strip(): resource
        for resource in (resources_element if resources_element is not None else [])
        if resource.tag == tag("resource")
    }

    activities: list[PackageActivity] = []
    for item in organization.iter(tag("item")):  # document order, nested items included
        reference = (item.get("identifierref") or "").strip()
        if not reference:
            continue  # an aggregation: its children are the units
        item_id = (item.get("identifier") or "").strip()
        where_item = {"name": shown, "item": _show(item_id or reference)}
        resource = resources.get(reference)
        if resource is None:
            problems.append(
                _(
                    "“%(name)s”, item “%(item)s”: it refers to the resource “%(ref)s”, which the "
                    "manifest does not have."
                )
                % {**where_item, "ref": _show(reference)}
            )
            continue
        # The attribute is adlcp:scormtype in SCORM 1.2 and adlcp:scormType in 2004; tools write
        # either in either, so both spellings count.
        declared = next(
            (v for k, v in resource.attrib.items() if k.lower() == f"{{{adlcp}}}scormtype".lower()),
            "",
        )
        scorm_type = "sco" if declared.strip().lower() == "sco" else "asset"
        href = (resource.get("href") or "").strip()
        base = resources_base + resource.get(f"{{{XML_NAMESPACE}}}base", "")
        launch = f"{base}{href}" if href else ""
        problem = _launch_problem(launch, files=files, allow_remote=False)
        if problem:
            problems.append(
                _("“%(name)s”, item “%(item)s”, launch: %(problem)s")
                % {**where_item, "problem": problem}
            )
            continue
        mastery = None
        raw = item.findtext(f"{{{adlcp}}}masteryscore") if kind == "scorm12" else None
        if kind == "scorm2004":
            primary = item.find(
                f"{{{IMSSS_NAMESPACE}}}sequencing/{{{IMSSS_NAMESPACE}}}"
                f"objectives/{{{IMSSS_NAMESPACE}}}primaryObjective"
            )
            if primary is not None and primary.get("satisfiedByMeasure") == "true":
                raw = primary.findtext(f"{{{IMSSS_NAMESPACE}}}minNormalizedMeasure")
        if raw is not None and raw.strip():
            text = raw.strip()
            top = 100 if kind == "scorm12" else 1
            if _DECIMAL.match(text) and 0 <= float(text) <= top:
                mastery = float(text) / top
            else:
                problems.append(
                    _(
                        "“%(name)s”, item “%(item)s”: the mastery score “%(value)s” is not a "
                        "number from 0 to %(top)s."
                    )
                    % {**where_item, "value": _show(text), "top": top}
                )
                continue
        activities.append(
            PackageActivity(
                activity_id=item_id or reference,
                title=(item.findtext(tag("title")) or "").strip() or item_id,
                launch=launch,
                launch_parameters=(item.get("parameters") or "").strip(),
                mastery_score=mastery,
                identifier=item_id or reference,
                data_from_lms=(item.findtext(f"{{{adlcp}}}datafromlms") or "").strip(),
                scorm_type=scorm_type,
            )
        )
    seen: set[str] = set()
    for activity in activities:
        if activity.identifier in seen:
            problems.append(
                _("“%(name)s”, item “%(item)s”: the identifier is used more than once.")
                % {"name": shown, "item": _show(activity.identifier)}
            )
        seen.add(activity.identifier)
    _raise_if_any(problems)
    if not activities:
        raise PackageError(
            _("“%(name)s”: the organisation has no item that launches a resource.")
            % {"name": shown}
        )
    title = (organization.findtext(tag("title")) or "").strip()
    return kind, identifier, title, tuple(activities)


def _sequencing_problems(tree: Element, *, where: str) -> list[str]:
    """SCORM 2004 sequencing beyond what the player honours, one message per element."""
    problems: list[str] = []
    refused: dict[str, None] = {}
    for element in tree.iter():
        name = element.tag
        if name == f"{{{IMSSS_NAMESPACE}}}sequencingCollection":
            refused.setdefault(_("shared sequencing definitions (sequencingCollection)"))
        if name == f"{{{IMSSS_NAMESPACE}}}sequencing":
            if element.get("IDRef"):
                refused.setdefault(_("shared sequencing definitions (IDRef)"))
            for child in element:
                local = child.tag.rsplit("}", 1)[-1]
                if child.tag.startswith(f"{{{IMSSS_NAMESPACE}}}") and (
                    local in SCORM_SEQUENCING_ALLOWED
                ):
                    continue
                refused.setdefault(_show_tag(child.tag))
        elif name == f"{{{IMSSS_NAMESPACE}}}controlMode":
            for attribute, value in element.attrib.items():
                if attribute in SCORM_CONTROL_MODE_REFUSED_TRUE and value.strip() == "true":
                    refused.setdefault(f'controlMode {attribute}="true"')
                elif attribute not in SCORM_CONTROL_MODE_ALLOWED | SCORM_CONTROL_MODE_REFUSED_TRUE:
                    refused.setdefault(f"controlMode {_show(attribute)}")
        elif name in (f"{{{IMSSS_NAMESPACE}}}mapInfo", f"{{{ADLSEQ_NAMESPACE}}}objectives"):
            refused.setdefault(_("global objectives (mapInfo)"))
        elif name == f"{{{ADLSEQ_NAMESPACE}}}rollupConsiderations":
            refused.setdefault(_show_tag(name))
    for what in refused:
        problems.append(
            _(
                "“%(name)s”: SCORM 2004 sequencing beyond flow and choice navigation is not "
                "supported (%(what)s); such a package would not play as its authors meant."
            )
            % {"name": where, "what": what}
        )
    return problems


def _check_schemas(archive: zipfile.ZipFile, tree: Element, *, members: dict, where: str) -> None:
    """Every schema file (.xsd) the manifest names that the package holds must itself be safe
    XML: read with the same limits, parsed with defusedxml (no DTD, entity or external file)."""
    names = {name for name in members if name.lower().endswith(".xsd")}
    locations = (tree.get(f"{{{XSI_NAMESPACE}}}schemaLocation") or "").split()[1::2]
    problems: list[str] = []
    for location in locations:
        path = posixpath.normpath(unquote(location.strip()))
        if path not in names:
            continue
        info = members[path]
        if info.file_size > limits.MAX_MANIFEST_SIZE:
            problems.append(
                _("The schema “%(name)s” is %(size)s; schemas over %(limit)s are not accepted.")
                % {"name": _show(info.filename), **_sizes(info.file_size, limits.MAX_MANIFEST_SIZE)}
            )
            continue
        try:
            _parse_xml(zip_reading._read_member(archive, info, keep=True), info.filename)
        except PackageError as error:
            problems.extend(error.messages)
    _raise_if_any(problems)


def _launch_problem(value: str, *, files: set[str], allow_remote: bool) -> str | None:
    """Why a launch location is unusable (the end of a message), or ``None``. Relative locations
    must name a file of the package (query string and fragment aside)."""
    if not value:
        return _("the location is empty.")
    shown = {"value": _show(value)}
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        if not allow_remote:
            return _("“%(value)s” must be a relative path to a file of the package.") % shown
        if parts.scheme.lower() in REMOTE_LAUNCH_SCHEMES and parts.netloc:
            return None
        return _("“%(value)s” must be a relative path or an absolute http(s) URL.") % shown
    path = unquote(parts.path)
    if not path:
        return _("“%(value)s” does not name a file.") % shown
    if path.startswith("/") or "\\" in path:
        return (
            _("“%(value)s” must be a relative path, without a leading “/” and without backslashes.")
            % shown
        )
    normalised = posixpath.normpath(path)
    if normalised == ".." or normalised.startswith("../"):
        return _("“%(value)s” points outside the package.") % shown
    if normalised not in files:
        if normalised == value:
            return _("the file “%(file)s” is not in the package.") % {"file": _show(normalised)}
        return _("“%(value)s” names the file “%(file)s”, which is not in the package.") % {
            **shown,
            "file": _show(normalised),
        }
    return None
