"""StreamField blocks for curricula, courses, modules and lessons."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.blocks import BodyBlock


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[
            ("key_points", _("Key points")),
            ("note", _("Note")),
            ("warning", _("Warning")),
            ("legal", _("Legal reference")),
        ],
        default="key_points",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"))

    class Meta:
        icon = "list-ul"
        label = _("Key points / callout")
        template = "blocks/callout_block.html"
        preview_value = {
            "style": "key_points",
            "title": "Key points",
            "points": [
                "Secure the scene before touching any device.",
                "Photograph screens and connections.",
            ],
        }


class LearningOutcomesBlock(blocks.StructBlock):
    intro = blocks.CharBlock(
        label=_("Introduction"),
        required=False,
        default="By the end of this training, participants will be able to:",
    )
    outcomes = blocks.ListBlock(blocks.CharBlock(label=_("Outcome")), label=_("Outcomes"))

    class Meta:
        icon = "tick-inverse"
        label = _("Learning outcomes")
        template = "blocks/learning_outcomes_block.html"
        preview_value = {
            "intro": "Participants will be able to:",
            "outcomes": ["Seize and preserve digital evidence", "Write a forensic report"],
        }


class CourseBodyBlock(BodyBlock):
    """The site's body blocks plus the teaching ones."""

    callout = CalloutBlock()
    learning_outcomes = LearningOutcomesBlock()


class AnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"), max_length=300)
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)
    feedback = blocks.CharBlock(
        label=_("Feedback shown when this answer is chosen"), required=False, max_length=500
    )


class QuestionBlock(blocks.StructBlock):
    """One quiz question: single choice, multiple choice or true/false, with feedback per
    answer. Graded on the server; the answers never reach the browser marked correct."""

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            ("single", _("Single choice")),
            ("multiple", _("Multiple choice")),
            ("true_false", _("True or false")),
        ],
        default="single",
    )
    prompt = blocks.TextBlock(label=_("Question"))
    answers = blocks.ListBlock(AnswerBlock(), label=_("Answers"), min_num=2)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        from django.core.exceptions import ValidationError
        from wagtail.blocks import StructBlockValidationError

        value = super().clean(value)
        correct = [answer for answer in value["answers"] if answer["correct"]]
        if not correct:
            raise StructBlockValidationError(
                block_errors={"answers": ValidationError(_("Mark at least one answer correct."))}
            )
        if value["kind"] in ("single", "true_false") and len(correct) > 1:
            raise StructBlockValidationError(
                block_errors={
                    "answers": ValidationError(
                        _("A single-choice question has one correct answer.")
                    )
                }
            )
        if value["kind"] == "true_false" and len(value["answers"]) != 2:
            raise StructBlockValidationError(
                block_errors={"answers": ValidationError(_("True or false has two answers."))}
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), default="Check your understanding", max_length=120)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "tick"
        label = _("Quiz")
        template = "blocks/quiz_block.html"


class LessonBodyBlock(CourseBodyBlock):
    """A lesson's content: the course blocks plus quizzes."""

    quiz = QuizBlock()
