"""Education programs (образовательная программа), their modules, groups and weekly schedules."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from desktop_app.domain.age import AgeRange


class _Labelled(enum.StrEnum):
    """An enumeration whose members carry the Russian label a clerk reads."""

    @property
    def label(self) -> str:
        return LABELS[self]


class Direction(_Labelled):
    """Направленность: one of the six of Russian supplementary education."""

    TECHNICAL = "technical"
    NATURAL_SCIENCE = "natural_science"
    SPORTS = "sports"
    ARTS = "arts"
    TOURISM = "tourism"
    SOCIAL = "social"


class ProgramKind(_Labelled):
    GENERAL_DEVELOPMENTAL = "general_developmental"
    PRE_PROFESSIONAL = "pre_professional"
    SPORTS_TRAINING = "sports_training"


class StudyForm(_Labelled):
    FULL_TIME = "full_time"
    MIXED = "mixed"
    CORRESPONDENCE = "correspondence"


class Level(_Labelled):
    STARTING = "starting"
    BASIC = "basic"
    ADVANCED = "advanced"
    MULTI_LEVEL = "multi_level"


class CertificationStatus(_Labelled):
    """Where a program is in certification; the server decides all but draft and archived."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CERTIFIED = "certified"
    REFUSED = "refused"
    ARCHIVED = "archived"


LABELS: dict[enum.StrEnum, str] = {
    Direction.TECHNICAL: "техническая",
    Direction.NATURAL_SCIENCE: "естественнонаучная",
    Direction.SPORTS: "физкультурно-спортивная",
    Direction.ARTS: "художественная",
    Direction.TOURISM: "туристско-краеведческая",
    Direction.SOCIAL: "социально-гуманитарная",
    ProgramKind.GENERAL_DEVELOPMENTAL: "общеразвивающая",
    ProgramKind.PRE_PROFESSIONAL: "предпрофессиональная",
    ProgramKind.SPORTS_TRAINING: "спортивной подготовки",
    StudyForm.FULL_TIME: "очная",
    StudyForm.MIXED: "очно-заочная",
    StudyForm.CORRESPONDENCE: "заочная",
    Level.STARTING: "стартовый",
    Level.BASIC: "базовый",
    Level.ADVANCED: "продвинутый",
    Level.MULTI_LEVEL: "разноуровневая",
    CertificationStatus.DRAFT: "черновик",
    CertificationStatus.SUBMITTED: "на сертификации",
    CertificationStatus.CERTIFIED: "сертифицирована",
    CertificationStatus.REFUSED: "отказ",
    CertificationStatus.ARCHIVED: "в архиве",
}


class Weekday(enum.IntEnum):
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7

    @property
    def label(self) -> str:
        return _WEEKDAY_LABELS[self - 1]

    @property
    def short_label(self) -> str:
        return _WEEKDAY_SHORT_LABELS[self - 1]


_WEEKDAY_LABELS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
_WEEKDAY_SHORT_LABELS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """One weekly lesson of a group."""

    id: uuid.UUID
    weekday: Weekday
    starts_at: time
    ends_at: time
    room: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """A group (группа) of a module: who teaches, when, how many places."""

    id: uuid.UUID
    name: str
    teacher: str
    start_date: date
    end_date: date
    capacity: int
    schedule: tuple[ScheduleEntry, ...] = ()
    taken: int = 0
    """Places held by open contracts, as the server last reported."""

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.taken, 0)


@dataclass(frozen=True, slots=True)
class Module:
    """A module (модуль / год обучения) with its price; the operator sets the normative cost."""

    id: uuid.UUID
    name: str
    months: int
    hours: int
    min_group_size: int
    max_group_size: int
    price: int
    """Kopecks, set by the organization (цена модуля)."""
    teacher_qualification: str = ""
    normative: int | None = None
    """Kopecks, set by the operator on certification; None until then."""
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """A step of certification as the operator recorded it: submitted, certified or refused with a remark."""

    decision: CertificationStatus
    remark: str
    author: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class Program:
    """An education program of the organization. Validity is checked by ``validate_program``."""

    id: uuid.UUID
    full_name: str
    short_name: str
    direction: Direction | None
    kind: ProgramKind | None
    form: StudyForm | None
    level: Level | None
    age_range: AgeRange
    duration_months: int
    distance_technologies: bool = False
    annotation: str = ""
    goals: str = ""
    expected_results: str = ""
    medical_certificate_required: bool = False
    accessible_for_disabled: bool = False
    final_document: str = ""
    addresses: tuple[str, ...] = ()
    status: CertificationStatus = CertificationStatus.DRAFT
    modules: tuple[Module, ...] = ()
    decisions: tuple[Decision, ...] = ()
    """Newest first; set by the server, never by the workstation."""
