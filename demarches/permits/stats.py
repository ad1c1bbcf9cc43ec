"""Figures of the permits: by support type (public), and by status, month and time to decision (agents)."""

from django.db.models import Count
from django.db.models.functions import TruncMonth

from . import choices


def public_statistics(permits):
    """[(support type name, count)] of the given (granted) permits."""
    rows = permits.order_by().values("support_type__name").annotate(count=Count("pk")).order_by("-count")
    return [(row["support_type__name"], row["count"]) for row in rows]


def agent_statistics(requests):
    """Counts by support type, status and month of deposit, and the mean days from deposit to decision."""
    by_support = [(row["support_type__name"], row["count"]) for row in
                  requests.order_by().values("support_type__name").annotate(count=Count("pk")).order_by("-count")]
    by_status = [(choices.STATUS_LABELS.get(row["status"], row["status"]), row["count"]) for row in
                 requests.order_by().values("status").annotate(count=Count("pk")).order_by("status")]
    by_month = [(row["month"], row["count"]) for row in
                requests.order_by().annotate(month=TruncMonth("submitted_at")).values("month")
                .annotate(count=Count("pk")).order_by("month")]
    decided = requests.filter(decided_at__isnull=False).exclude(status=choices.ABANDONED).values_list(
        "submitted_at", "decided_at")
    delays = [(decided_at - submitted_at).days for submitted_at, decided_at in decided]
    return {
        "by_support": by_support, "by_status": by_status, "by_month": by_month,
        "decided": len(delays), "mean_days": round(sum(delays) / len(delays), 1) if delays else None,
        "tacit": requests.filter(tacit=True).count(), "total": requests.count(),
    }
