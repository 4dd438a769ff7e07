// zod/mini ships no locale: without one every issue reads "Invalid input". Every module that builds
// zod/mini schemas imports this for its side effect, so their errors read as classic zod's do (the
// API's 4xx messages and the catalog's load errors quote them). The configuration is zod's global
// one, shared with classic zod, which sets the same English locale when it loads.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
