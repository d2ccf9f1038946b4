"""Access: who is looking (a `Principal` with a role and provinces), what they may receive, and the
audit log of who did what.

The rules apply where data leaves the store (`scope.Scoped`, a wrapper every page, download, clue
package, deck and command-line export queries through), so a role never receives a row or column
it may not see, whatever the interface shows or the URL asks. Never imports streamlit.
"""

from cloudsword.access.principal import ADMIN, Principal, Role
from cloudsword.access.scope import Scoped, base, scoped

__all__ = ["ADMIN", "Principal", "Role", "Scoped", "base", "scoped"]
