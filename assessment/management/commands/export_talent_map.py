from assessment.selectors import EXPORT_COLUMNS, talent_map_export_rows
from talenta.commands import PeriodExportCommand


class Command(PeriodExportCommand):
    help = "Ekspor penempatan satu periode ke .csv atau .xlsx."
    columns = EXPORT_COLUMNS
    sheet_title = "Peta talenta"

    def rows(self, *, periode, instansi):
        return talent_map_export_rows(user=None, periode=periode, instansi=instansi)
