import { psaContract } from './psa-contract';

psaContract('connectwise');
