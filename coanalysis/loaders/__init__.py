"""Loaders: read the project's data files into validated, typed DataFrames.

Each loader checks its input at the boundary and raises
:class:`coanalysis.errors.DataError` listing every problem found.
"""

from .casebase import (  # noqa: F401
    CASEBASE_TABLES,
    CODING_RESOURCES,
    CaseBase,
    casebase_datapackage,
    load_casebase,
    validate_casebase,
    write_casebase_datapackage,
)
from .qdpx import (  # noqa: F401
    QDAProject,
    read_qdpx,
)
from .survey import (  # noqa: F401,E402
    SurveyLoad,
    parse_number,
    read_survey,
)
