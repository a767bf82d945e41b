from assessment.models import ExportJob
from talenta.commands import PeriodExportCommand


class Command(PeriodExportCommand):
    help = "Ekspor penempatan satu periode ke .csv atau .xlsx."
    kind = ExportJob.Kind.PETA_TALENTA
