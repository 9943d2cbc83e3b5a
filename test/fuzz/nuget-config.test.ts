import { describeSuite } from './support/describe-suite.js';
import { suite } from './nuget-config.suite.js';

describeSuite(suite);
