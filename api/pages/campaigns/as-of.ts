/** "22 November 2026 at 09:15:04" in UK time, on the server and in the dashboard's script alike. */
export const AS_OF_FORMAT = { dateStyle: 'long', timeStyle: 'medium', timeZone: 'Europe/London' } as const;
