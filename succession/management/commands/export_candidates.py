from assessment.models import ExportJob
from talenta.commands import PeriodExportCommand


class Command(PeriodExportCommand):
    help = "Ekspor jabatan target dan kandidat berperingkat ke .csv atau .xlsx."
    kind = ExportJob.Kind.KANDIDAT
