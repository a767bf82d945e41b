from succession.selectors import EXPORT_COLUMNS, candidate_export_rows
from talenta.commands import PeriodExportCommand


class Command(PeriodExportCommand):
    help = "Ekspor jabatan target dan kandidat berperingkat ke .csv atau .xlsx."
    columns = EXPORT_COLUMNS
    sheet_title = "Kandidat"

    def rows(self, *, periode, instansi):
        return candidate_export_rows(user=None, periode=periode, instansi=instansi)
