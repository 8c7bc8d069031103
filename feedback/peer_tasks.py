"""Thin Celery task of peer feedback (imported by ``FeedbackConfig.ready()``)."""

from celery import shared_task

from . import peers


@shared_task(autoretry_for=(Exception,), max_retries=3, retry_backoff=True, acks_late=True)
def count_peer_answers() -> int:
    """Every hour: count the peers' answers into the scores once the peer deadline passed."""
    return peers.peers_count_due()
