"""Who may publish a page of the site group.

Pages are published by their review (初审 → 复审 → 终审), not by a button. The groups that
``services.open_body_area`` creates never hold Wagtail's "publish" page permission, so an
editor's only way forward is "submit for review". Wagtail, though, publishes a page at the end
of its workflow *as the user who approved the last step*, and checks that this user may
publish. The tester below answers yes for exactly that case: the user who approved the final
step of the review of the page's latest revision. Superusers, and anyone a site administrator
explicitly gives the "publish" permission, keep Wagtail's usual rights.
"""

from wagtail.models import PagePermissionTester, WorkflowState


def finished_review_of_latest_revision(page, user) -> bool:
    """True if ``user`` approved the last step of a completed review of the page's latest
    revision (so publishing it now is the review's own conclusion)."""
    if page.pk is None or not page.latest_revision_id:
        return False
    state = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .select_related("current_task_state")
        .order_by("-created_at", "-pk")
        .first()
    )
    if state is None or state.current_task_state is None:
        return False
    last_step = state.current_task_state
    return last_step.finished_by_id == user.pk and last_step.revision_id == page.latest_revision_id


class ReviewedPublishingPermissionTester(PagePermissionTester):
    def can_publish(self):
        if super().can_publish():
            return True
        return self.user.is_active and finished_review_of_latest_revision(self.page, self.user)
