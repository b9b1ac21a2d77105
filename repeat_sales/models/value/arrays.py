# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import numpy as np


def pg_array(values):
    """A PostgreSQL array literal of a numpy array of numbers or booleans.

    A million values are passed as one string: psycopg2 would adapt a list
    element by element in Python, several times slower. Floats are written as
    Python prints them (the shortest text that reads back as the same double;
    NaN as ``nan``, which PostgreSQL reads as NaN; infinities become NaN too).
    """
    if values.dtype == bool:
        return "{" + ",".join(np.where(values, "t", "f").tolist()) + "}"
    if np.issubdtype(values.dtype, np.floating):
        values = np.where(np.isfinite(values), values, np.nan)
    return "{" + ",".join(map(str, values.tolist())) + "}"
