/** The one logger factory: JSON lines in production, readable lines on a terminal. */
import pino, { type Logger } from 'pino';

export function createLogger(level: string, name = 'backlog-transfer'): Logger {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  return pino({
    name,
    level,
    // Personal data must never reach the logs through a careless field name.
    redact: ['*.email', '*.nhsNumber', '*.nhs_number', '*.postcode', 'req.headers.authorization'],
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } } : {}),
  });
}
