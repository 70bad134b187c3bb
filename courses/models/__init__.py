"""The courses app's models, by concern: the course vocabulary, the pages (catalogue, curriculum,
course, module, lesson), the catalogue's facets, the pages submitted with a course, and course
runs with their quotas and sessions (e-learning packages are the elearning app's). Every model
and name is re-exported here."""

from .facets import (
    CourseFacet,
    FacetCount,
)
from .moderation import (
    SubmissionLock,
    SubmittedDescendant,
)
from .pages import (
    CatalogueIndexPage,
    CoursePage,
    CurriculumPage,
    LessonPage,
    ModulePage,
)
from .runs import (
    CourseRun,
    RunQuota,
    Session,
    _valid_time_zone,  # noqa: F401 (named by the migrations that validate a run's time zone)
)
from .vocabulary import (
    LANGUAGE_VALUES,
    Audience,
    DeliveryMode,
    Level,
)

__all__ = [
    "Audience",
    "CatalogueIndexPage",
    "CourseFacet",
    "CoursePage",
    "CourseRun",
    "CurriculumPage",
    "DeliveryMode",
    "FacetCount",
    "LANGUAGE_VALUES",
    "LessonPage",
    "Level",
    "ModulePage",
    "RunQuota",
    "Session",
    "SubmissionLock",
    "SubmittedDescendant",
]
