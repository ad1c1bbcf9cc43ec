"""The moderation of association events: one workflow, one approval task for the librarians."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from biodiversitheque.core.roles import LIBRARIANS_GROUP

WORKFLOW_NAME = "Validation par la biodiversithèque"
TASK_NAME = "Validation par l'équipe de la biodiversithèque"


@transaction.atomic
def ensure_moderation_workflow():
    """The "Validation par la biodiversithèque" workflow (created or completed, never replaced)."""
    librarians, _created = Group.objects.get_or_create(name=LIBRARIANS_GROUP)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.add(librarians)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow
