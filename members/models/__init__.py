"""The members app's models, one module per subdomain."""

from members.models.contest import ContestProject, ProgressUpdate
from members.models.honors import Honor
from members.models.orgs import Branch, OrgManager, Society, Town
from members.models.partners import Agreement, JointActivity, Partner
from members.models.people import Person, Position

__all__ = [
    "Agreement",
    "Branch",
    "ContestProject",
    "Honor",
    "JointActivity",
    "OrgManager",
    "Partner",
    "Person",
    "Position",
    "ProgressUpdate",
    "Society",
    "Town",
]
