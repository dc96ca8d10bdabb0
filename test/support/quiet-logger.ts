import { Logger } from '@nestjs/common';

// Unit tests assert on behaviour, not on log lines; failures the code logs on purpose would only add noise.
Logger.overrideLogger(false);
