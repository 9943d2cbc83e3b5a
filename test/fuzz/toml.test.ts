import { describeSuite } from './support/describe-suite.js';
import { suite } from './toml.suite.js';

describeSuite(suite);
